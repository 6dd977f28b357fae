"""French as a legal department writes it: dates, amounts, numbers in words, agreement (Babel, num2words)."""
