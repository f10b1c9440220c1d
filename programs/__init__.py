"""Community and substance-use treatment programs (HSDS 3.0 shaped): model, vocabulary, search."""
