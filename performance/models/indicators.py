"""Indicator models."""

__all__: list[str] = []
