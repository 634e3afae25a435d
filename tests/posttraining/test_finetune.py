"""What 04-06 share for supervised fine-tuning: chat examples, TRL's SFT on them."""

from __future__ import annotations

import pytest


def test_chat_examples_and_packed_training_on_a_tiny_model(tmp_path):
    from seedkit.formats import chat_example
    from seedkit.models import load_model
    from seedkit.posttraining.finetune import train_sft

    ex = chat_example("Write f.", "def f():\n    return 1\n")
    assert ex == {"prompt": [{"role": "user", "content": "Write f."}],
                  "completion": [{"role": "assistant", "content": "```python\ndef f():\n    return 1\n```"}]}
    texts = ["def f(x):\n    return x + 1\n"] * 30
    model, tok = load_model("scratch", device="cpu", dtype="float32", tokenizer_texts=texts, verbose=False,
                            scratch_config=dict(vocab_size=300, hidden_size=32, intermediate_size=64,
                                                num_hidden_layers=1, num_attention_heads=2,
                                                num_key_value_heads=1, max_position_embeddings=512))
    items = [{"instruction": f"Write f number {i} now", "solution": f"def f(x):\n    return x + {i}\n"}
             for i in range(8)]
    _, log = train_sft(model, tok, items, output_dir=str(tmp_path), device="cpu", dtype="float32",
                       global_batch=4, per_device_max=4, learning_rate=1e-3, max_steps=2, num_epochs=1,
                       max_length=128, packing=True)
    assert len([r for r in log if "loss" in r]) == 2
    with pytest.raises(ValueError, match="no training items"):
        train_sft(model, tok, [], output_dir=str(tmp_path), device="cpu", dtype="float32", global_batch=4,
                  per_device_max=4, learning_rate=1e-3, max_steps=1, num_epochs=1, max_length=64, packing=False)
