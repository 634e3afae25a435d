"""Text generation backends behind one interface.

Stages 02 (oracle), 04 (synthesis, judge), 05 (sampling), 06 (traces) and 07 (evaluation) all ask
a model for text the same way: ``generator.chat(conversations, ...)`` or
``generator.complete(prompts, ...)``, each returning ``n`` strings per input, in input order.

- :class:`TransformersGenerator` (:mod:`seedkit.generation.local`): an in-process model (any spec of
  :func:`seedkit.models.load_model`), with stop strings, greedy or sampled, with a progress bar. It
  runs the kit's slot-batching engine (:mod:`seedkit.generation.engine`) when the model is one the
  engine supports, ``model.generate`` otherwise, and says which and why.
- :class:`OpenAIServerGenerator` (:mod:`seedkit.generation.server`): any OpenAI-compatible server
  (vLLM, SGLang, llama.cpp server, hosted APIs) through ``/v1/chat/completions`` and
  ``/v1/completions``, with concurrency, retries and timeouts.

:func:`make_generator` picks one from a string: an ``http(s)://`` URL is a server, anything else
a model spec.
"""

from __future__ import annotations

from typing import Any

from seedkit.generation.base import GenerationError, Generator, Message, check_request, truncate_at_stop
from seedkit.generation.local import TransformersGenerator, generate_token_ids
from seedkit.generation.server import OpenAIServerGenerator

__all__ = ["GenerationError", "Generator", "Message", "OpenAIServerGenerator", "TransformersGenerator",
           "check_request", "generate_token_ids", "make_generator", "truncate_at_stop"]


def make_generator(spec: str, *, server_model: str | None = None, batch_size: int | None = None,
                   **load_kwargs: Any) -> Generator:
    """A server generator for an ``http(s)://`` URL (``server_model`` names the served model), else an
    in-process one for a model spec (``load_kwargs`` go to load_model; ``batch_size=None`` lets the
    generator choose)."""
    if spec.startswith(("http://", "https://")):
        if not server_model:
            raise GenerationError(f"{spec}: a server needs server_model (the model name it serves)")
        return OpenAIServerGenerator(base_url=spec, model=server_model)
    return TransformersGenerator.from_spec(spec, batch_size=batch_size, **load_kwargs)
