#!/usr/bin/env python3
"""Drives `serve` with the official `openai` Python package; prints what it saw as one JSON object.

Usage: openai_client.py BASE_URL LLM_MODEL EMBEDDING_MODEL [--chat]
Exits non-zero (with the exception's text) when a call fails unexpectedly.
"""

import json
import sys

import openai


def main() -> None:
    base_url, llm, embedder = sys.argv[1], sys.argv[2], sys.argv[3]
    chat = "--chat" in sys.argv[4:]
    client = openai.OpenAI(base_url=base_url, api_key="unused", max_retries=0, timeout=300)
    seen = {}

    seen["models"] = sorted(model.id for model in client.models.list())

    completion = client.completions.create(model=llm, prompt="the cat", max_tokens=8, temperature=0, seed=7)
    seen["completion"] = {
        "text": completion.choices[0].text,
        "finish_reason": completion.choices[0].finish_reason,
        "prompt_tokens": completion.usage.prompt_tokens,
        "completion_tokens": completion.usage.completion_tokens,
    }

    pieces = []
    finish = None
    for chunk in client.completions.create(model=llm, prompt="the cat", max_tokens=8, temperature=0, seed=7, stream=True):
        if chunk.choices:
            pieces.append(chunk.choices[0].text)
            finish = chunk.choices[0].finish_reason or finish
    seen["streamed_completion"] = {"text": "".join(pieces), "events": len(pieces), "finish_reason": finish}

    if chat:
        messages = [{"role": "system", "content": "be brief"}, {"role": "user", "content": "hello"}]
        reply = client.chat.completions.create(model=llm, messages=messages, max_tokens=8, temperature=0, seed=7)
        seen["chat"] = {
            "role": reply.choices[0].message.role,
            "content": reply.choices[0].message.content,
            "completion_tokens": reply.usage.completion_tokens,
        }
        deltas = []
        for chunk in client.chat.completions.create(
            model=llm, messages=messages, max_tokens=8, temperature=0, seed=7, stream=True
        ):
            if chunk.choices and chunk.choices[0].delta.content:
                deltas.append(chunk.choices[0].delta.content)
        seen["streamed_chat"] = {"content": "".join(deltas), "events": len(deltas)}

    vectors = client.embeddings.create(model=embedder, input=["the cat", "a dog sat"])  # base64 on the wire
    floats = client.embeddings.create(model=embedder, input="the cat", encoding_format="float")
    seen["embeddings"] = {
        "count": len(vectors.data),
        "dimensions": [len(item.embedding) for item in vectors.data],
        "first_matches_float_form": all(
            abs(a - b) < 1e-6 for a, b in zip(vectors.data[0].embedding, floats.data[0].embedding)
        ),
        "prompt_tokens": vectors.usage.prompt_tokens,
    }

    try:
        client.completions.create(model="no-such-model", prompt="x", max_tokens=1)
        seen["unknown_model"] = {"raised": None}
    except openai.NotFoundError as error:
        seen["unknown_model"] = {"raised": "NotFoundError", "status": error.status_code, "message": error.message}

    try:
        client.completions.create(model=embedder, prompt="x", max_tokens=1)
        seen["wrong_kind"] = {"raised": None}
    except openai.BadRequestError as error:
        seen["wrong_kind"] = {"raised": "BadRequestError", "status": error.status_code, "message": error.message}

    print(json.dumps(seen))


if __name__ == "__main__":
    main()
