// llama.cpp engine tests (in progress).
