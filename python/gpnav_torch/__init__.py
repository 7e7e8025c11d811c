"""PyTorch side of gpnav: build exactly the MobileViTv2, MobileViT v1 or MobileNetV2 gpnav counts,
and train it.

- `build_model(config)`: the network of a gpnav training-command config (or `gpnav export
  --format json` document) of any family gpnav_torch reads (`families.FAMILIES`: one folder per
  family, e.g. `families.mobilevit_v1.build_mobilevit_v1(plan)` builds a v1 channel plan from
  timm's ByobNet and MobileViT blocks, `families.mobilenet_v2` from torchvision's blocks).
- `build_model(config, pretrained="timm")`: the same network starting from timm's published
  ImageNet weights, when the config is one of timm's published models and its weights are local.
- `python -m gpnav_torch.train --config FILE --data DIR`: a training command for
  `gpnav search --evaluator-command` and `gpnav worker`, with ml-cvnets' recipe of the config's
  family (`recipe`), one JSON line per epoch, resumable checkpoints, and DistributedDataParallel
  under `torchrun --nproc-per-node N -m gpnav_torch.train ...` (`trainer`).
- `python -m gpnav_torch.demo_data DIR`: a small procedurally generated ImageFolder dataset.
- `python -m gpnav_torch.export --config FILE --onnx OUT.onnx`: the network as ONNX, checked against
  PyTorch with ONNX Runtime (needs the `deploy` extra: onnx, onnxruntime).
- `python -m gpnav_torch.latency --config FILE`: its measured latency on ONNX Runtime or PyTorch,
  float32 or int8, as one JSON line.
- `python -m gpnav_torch.quantize --config FILE --checkpoint CKPT --data DIR`: its accuracy after
  int8 post-training quantisation, next to the float accuracy.
"""

from .config import ConfigError, TrialConfig, load_config
from .model import build_model
from .pretrained import PretrainedError

__all__ = ["ConfigError", "PretrainedError", "TrialConfig", "build_model", "load_config"]
