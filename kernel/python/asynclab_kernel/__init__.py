"""The course's Jupyter side of the Java kernel: asynclab_kernel.spare keeps one kernel warm."""
