"""Live biofeedback: a probe streamed to the browser, scored and recorded."""
