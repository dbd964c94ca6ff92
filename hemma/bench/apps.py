from django.apps import AppConfig


class BenchConfig(AppConfig):
    # No models: an app only so that `hemma bench-data` and `hemma bench` are found.
    name = "hemma.bench"
    verbose_name = "Benchmark"
