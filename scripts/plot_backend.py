"""matplotlib for the plot scripts (plot_report.py, plot_matrix.py): its pyplot on the
file-only Agg backend, or None with the reason added to the script's skipped list, so a
Python without matplotlib writes the manifest only and still exits 0."""


def pyplot_or_none(skipped):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as e:
        skipped.append({"name": "plots", "reason": f"matplotlib not available ({e}); "
                                                   "install python3-matplotlib or run with /usr/bin/python3"})
        return None
    return plt
