"""The REST API plumbing shared by every app: pagination, CSV, ETag, errors, permissions."""
