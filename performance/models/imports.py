"""imports models."""

__all__: list[str] = []
