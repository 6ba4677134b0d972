"""Pictures from content files made ready for the screen: decoded once, upright, scaled, cached."""

from kiosk.images.decode import MAX_PIXELS, Decoded, ImageError, decode, fitted_size
from kiosk.images.pipeline import MASTER_SIDE, DiskCache, Pipeline, bucket, target_box

__all__ = [
    "MASTER_SIDE", "MAX_PIXELS", "Decoded", "DiskCache", "ImageError", "Pipeline", "bucket",
    "decode", "fitted_size", "target_box",
]
