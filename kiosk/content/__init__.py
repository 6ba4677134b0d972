"""Exhibition content: the model (``model``) and the loader that builds it from files.

Nothing in this package imports Kivy, so ``kiosk check`` and the tests run anywhere.
"""

from .loader import ContentLoader, load_content
from .model import Content, Exhibit, Media, PartialDate, Problem, Section, Site, Text, Tour

__all__ = [
    "Content",
    "ContentLoader",
    "Exhibit",
    "Media",
    "PartialDate",
    "Problem",
    "Section",
    "Site",
    "Text",
    "Tour",
    "load_content",
]
