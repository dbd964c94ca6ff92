"""The national-scale benchmark: a synthetic data set (data.py, `hemma bench-data`) and the
operations measured against it. An app without models, so that its commands are found."""
