"""Synthetic datasets at bloc, province and national scale (`manage.py generate_dataset`)."""

from .load import DatasetError, database_is_empty, generate
from .tree import SCALES

__all__ = ["SCALES", "DatasetError", "database_is_empty", "generate"]
