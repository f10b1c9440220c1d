"""Directory read routes: clinicians and plans."""
