"""Meeting recordings transcribed into the library (U8) and labelled generated images (U9)."""
