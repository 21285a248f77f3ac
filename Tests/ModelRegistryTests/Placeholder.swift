// Core tests (in progress).
