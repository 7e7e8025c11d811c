"""PyTorch side of gpnav: build exactly the MobileViTv2 gpnav counts, and train it.

- `build_model(config)`: the network of a gpnav training-command config (or `gpnav export
  --format json` document), from timm's ByobNet and MobileViTv2 blocks.
- `python -m gpnav_torch.train --config FILE --data DIR`: a training command for
  `gpnav search --evaluator-command` and `gpnav worker`.
- `python -m gpnav_torch.demo_data DIR`: a small procedurally generated ImageFolder dataset.
"""

from .config import ConfigError, TrialConfig, load_config
from .model import build_model

__all__ = ["ConfigError", "TrialConfig", "build_model", "load_config"]
