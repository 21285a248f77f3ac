// The llama.cpp engine (in progress).
