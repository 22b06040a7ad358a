"""quality models."""

__all__: list[str] = []
