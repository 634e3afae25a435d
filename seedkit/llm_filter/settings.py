"""Settings of stage 02, the LLM quality filter.

Defaults are the ``smol`` values (the packaged SmolLM2-135M-Instruct as oracle, read through its
score-token probabilities because a 135M model rarely writes a parseable rating); ``tiny`` swaps
in the kit's ~1M-parameter scratch Llama so the whole stage runs in seconds, and ``gpu`` a real
instruct model that can write its answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from seedkit.config import ModelStageSettings, SettingsError

OracleMethod = Literal["verdict", "likelihood", "generate"]
ScorerBackbone = Literal["minilm", "minilm-finetune", "lm"]


@dataclass
class LLMFilterSettings(ModelStageSettings):
    """Stage 02: an oracle LLM grades a sample of files, a small model learns the grades and
    scores every file, and the bottom of the distribution is dropped."""

    stage: ClassVar[str] = "02_llm_filter"
    TAUGHT: ClassVar[tuple[str, ...]] = ("oracle_model", "oracle_method", "rubric_path", "label_sample_size",
                                         "check_readings", "scorer_backbone", "drop_bottom_fraction", "min_score")
    PROFILE_DEFAULTS: ClassVar[dict[str, dict[str, Any]]] = {
        "tiny": dict(
            oracle_model="scratch", oracle_method="likelihood",
            compare_samples=False, token_counter="regex", scorer_epochs=200, label_sample_size=32,
            oracle_max_chars=400, scorer_max_length=128,
        ),
        "gpu": dict(
            oracle_model="ByteDance-Seed/Seed-Coder-8B-Instruct", oracle_method="generate",
            label_sample_size=2000, oracle_max_chars=6000, oracle_batch_size=16,
            scorer_backbone="minilm-finetune", torch_threads=0,
        ),
    }

    files_input: str = field(default="", metadata={
        "help": "a stage 01 directory to read files/ from; empty = this run's 01_curation"})
    oracle_model: str = field(default="smollm2-135m-instruct", metadata={
        "help": "model spec of the in-process oracle (seedkit.models.load_model); smol ships SmolLM2-135M"})
    oracle_server_url: str = field(default="", metadata={
        "help": "an OpenAI-compatible server (vLLM, SGLang, llama.cpp) used instead of the in-process oracle"})
    oracle_server_model: str = field(default="", metadata={
        "help": "the model name the server serves (needed with oracle_server_url)"})
    oracle_method: OracleMethod = field(default="verdict", metadata={
        "help": "verdict: 10 x P('good' | 'good' or 'bad') after the rubric; likelihood: expected score from "
                "P('0'..'10') after 'Rating: [['; generate: parse a written 'Rating: [[X]]' (needs a capable model or a "
                "server). On the 22 quality samples, file names only, SmolLM2-135M separated neither way: verdict "
                "good-poor +0.03 (95% CI -0.07 to +0.12), likelihood -0.25 (-0.52 to +0.02); verdict is the default "
                "as the less wrong of the two"})
    rubric_path: str = field(default="", metadata={
        "help": "the rubric prompt file; empty = seedkit/prompts/quality_rubric.md (edit a copy to change it)"})
    label_sample_size: int = field(default=64, metadata={
        "help": "files the oracle grades; SmolLM2 costs about 2 CPU-seconds a file at 1500 characters "
                "(measured: under 3 CPU-minutes for stages 01 and 02 of smol together, 64 labels + 22 check gradings)"})
    oracle_max_chars: int = field(default=1500, metadata={
        "help": "characters of each file shown to the oracle; longer files are cut (cost grows with length)"})
    oracle_max_new_tokens: int = field(default=48, metadata={
        "help": "tokens the oracle may write with method=generate (the rubric asks for the rating first)"})
    oracle_batch_size: int = field(default=4, metadata={
        "help": "prompts per generate() call for the in-process oracle"})
    label_cache_dir: str = field(default="", metadata={
        "help": "where labels are cached by (content hash, prompt version, oracle); empty = <kit cache>/quality_labels"})
    compare_samples: bool = field(default=True, metadata={
        "help": "grade data_samples/quality (files written good and poor, shown under bare file names) to measure "
                "whether the oracle separates them: difference and P(good > poor) with 95% intervals"})
    check_readings: list[str] = field(default_factory=list, metadata={
        "help": "other readings to check on the quality samples besides oracle_method (verdict, likelihood, "
                "generate; in-process oracles only): 22 more gradings each, ~45 CPU-s with SmolLM2"})
    scorer_backbone: ScorerBackbone = field(default="minilm", metadata={
        "help": "minilm: the packaged MiniLM encoder frozen + a small head (seconds); minilm-finetune: "
                "encoder trained too; lm: mean-pooled hidden states of the oracle model"})
    scorer_epochs: int = field(default=300, metadata={
        "help": "full-batch steps for a frozen backbone's head (epochs for minilm-finetune: capped at 3)"})
    scorer_learning_rate: float = field(default=1e-3, metadata={
        "help": "Adam learning rate of the head (the fine-tuned encoder uses a tenth of it)"})
    scorer_max_length: int = field(default=256, metadata={
        "help": "tokens of each file the scorer reads (MiniLM was trained at 256)"})
    scorer_batch_size: int = field(default=32, metadata={
        "help": "files per batch when embedding the corpus"})
    heldout_fraction: float = field(default=0.25, metadata={
        "help": "share of the oracle labels kept out of scorer training to measure MAE and Spearman"})
    drop_bottom_fraction: float = field(default=0.10, metadata={
        "help": "drop this share of the lowest-scored files; the report dropped about 10%"})
    min_score: float | None = field(default=None, metadata={
        "help": "drop files scored below this (0-10) instead of a percentile; None = use drop_bottom_fraction"})
    token_counter: str = field(default="smollm2-135m-instruct", metadata={
        "help": "tokenizer that counts tokens to size rules_only like filtered: a model spec, or 'regex' "
                "(words and punctuation, no model needed)"})

    def validate(self) -> None:
        super().validate()
        if self.oracle_server_url and not self.oracle_server_model:
            raise SettingsError("oracle_server_model: set it to the model name the server at oracle_server_url serves")
        if not 0.0 <= self.drop_bottom_fraction < 1.0:
            raise SettingsError(f"drop_bottom_fraction: {self.drop_bottom_fraction} must be in [0, 1)")
        if self.min_score is not None and not 0.0 <= self.min_score <= 10.0:
            raise SettingsError(f"min_score: {self.min_score} must be on the 0-10 scale")
        if not 0.0 < self.heldout_fraction < 1.0:
            raise SettingsError(f"heldout_fraction: {self.heldout_fraction} must be in (0, 1)")
        if self.label_sample_size < 4:
            raise SettingsError(f"label_sample_size: {self.label_sample_size} is too few to train and hold out; use >= 4")
        if self.oracle_max_chars < 50:
            raise SettingsError("oracle_max_chars: show the oracle at least 50 characters")
        bad = [m for m in self.check_readings if m not in ("verdict", "likelihood", "generate")]
        if bad:
            raise SettingsError(f"check_readings: {bad} are not readings; choose from verdict, likelihood, generate")
        if self.scorer_epochs < 1 or self.scorer_batch_size < 1 or self.oracle_batch_size < 1:
            raise SettingsError("scorer_epochs, scorer_batch_size and oracle_batch_size must be >= 1")

    def report_comparison(self) -> list[dict[str, str]]:
        """Where this stage follows the report and where it differs, and why: rows of
        ``{"setting", "report", "kit", "why"}`` (the kit value is this profile's; a why of "same" means
        the kit follows the report)."""
        oracle = self.oracle_server_model if self.oracle_server_url else self.oracle_model
        method = "generate" if self.oracle_server_url else self.oracle_method
        cut = f"bottom {self.drop_bottom_fraction:.0%}" if self.min_score is None else f"below {self.min_score:g}"
        rows = [
            ("oracle", "DeepSeek-V2-Chat", oracle,
             "a model this machine can run; set oracle_server_url for a large one behind vLLM/SGLang"),
            ("rubric", "readability, modularity, clarity, reusability, 0-10, zero-score rule",
             "the same four dimensions and rule (seedkit/prompts/quality_rubric.md)", "same"),
            ("oracle answer", "a written rating", f"{method} reading",
             "same" if method == "generate" else
             "a 135M model seldom writes a parseable rating: its next-token probabilities are read instead"),
            ("labelled files", "222,066", str(self.label_sample_size), "oracle cost on this machine"),
            ("scorer", "1.3B LM with a regression head, MSE, one epoch",
             f"{self.scorer_backbone} + regression head, MSE", "a backbone that trains and scores on a CPU"),
            ("cut", "bottom ~10% of files", cut, "same" if self.min_score is None and self.drop_bottom_fraction == 0.1
             else "changed by the settings"),
            ("oracle check", "not reported", "graded good/poor samples with 95% intervals",
             "the kit measures whether its small oracle's grades mean anything before using them"),
        ]
        return [{"setting": a, "report": b, "kit": c, "why": d} for a, b, c, d in rows]
