"""The child processes a run starts and owns: papermill kernels, Jupyter Book, the PDF writer; ending them,
interrupts, warm kernels."""
