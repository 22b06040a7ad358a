"""Views: quality."""
