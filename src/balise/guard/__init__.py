"""Guards on the request path: privacy (personal information) and usage policy (X1–X5, D4)."""
