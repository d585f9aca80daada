"""What may leave the repository: the privacy guard, the body HTML policy, photo metadata and the pages' Content-Security-Policy."""
