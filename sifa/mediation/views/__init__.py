"""Pages of people's mediation (thin: parse, check access, call one service or selector, render)."""
