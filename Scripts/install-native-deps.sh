#!/usr/bin/env bash
# Installs the native libraries ModelRegistry's engines link against, and the model fixtures its tests use.
#
#   - libonnxruntime, taken from the `onnxruntime` wheel on PyPI, plus the three ONNX models that wheel ships;
#   - libllama and the ggml libraries (and llama.cpp's own `llama-bench` and `llama-batched-bench`), built with cmake +
#     ninja from the llama.cpp source vendored in the `llama-cpp-python` sdist on PyPI, plus that source's real
#     tokenizer files (`models/ggml-vocab-*.gguf` with their expected-token files) and chat templates;
#   - a Python virtual environment (onnxruntime, gguf, onnx, and the `openai` and `tritonclient[http]` clients) used
#     to write test models and reference outputs and to drive the HTTP example as real clients do;
#   - pkg-config files (`libonnxruntime.pc`, `llama.pc`) that SwiftPM's system library targets read.
#
# Everything goes into a cache outside the clone, keyed by the pinned versions, so a second run (or CI with the cache
# present) reuses it in seconds. The clone gets a `.native` symlink to the prefix (ignored by git).
#
# Usage: Scripts/install-native-deps.sh            # install or reuse, then print the prefix
#        MODELREGISTRY_NATIVE_CACHE=/some/dir ...   # choose the cache folder (default: ~/.cache/modelregistry-native)
set -euo pipefail

ORT_VERSION=1.23.2
LLAMA_CPP_PYTHON_VERSION=0.3.36
GGUF_VERSION=0.19.0
ONNX_VERSION=1.23.2
NUMPY_VERSION=2.2.6
OPENAI_VERSION=3.51.0
TRITONCLIENT_VERSION=2.73.0
SETUP_REVISION=4   # bump when this script's output layout changes

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${MODELREGISTRY_NATIVE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/modelregistry-native}
key="ort-${ORT_VERSION}_llama-${LLAMA_CPP_PYTHON_VERSION}_gguf-${GGUF_VERSION}_r${SETUP_REVISION}"
prefix="$cache/$key"
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}

log() { printf '[native-deps] %s\n' "$*" >&2; }
die() { printf '[native-deps] error: %s\n' "$*" >&2; exit 1; }


# SwiftPM drops `-Wl,-rpath` from pkg-config output, so also tell the dynamic loader about the prefix when we may.
register_with_loader() {
  if [ "$(id -u)" = 0 ] && [ -d /etc/ld.so.conf.d ] && command -v ldconfig >/dev/null; then
    local conf=/etc/ld.so.conf.d/modelregistry-native.conf
    if [ "$(cat "$conf" 2>/dev/null)" != "$prefix/lib" ]; then
      echo "$prefix/lib" > "$conf"
      ldconfig
    fi
  fi
}

# Python tools (onnxruntime's Python API, gguf, onnx) for fixtures, reference outputs and benchmarks.
venv="$cache/venv-py-ort-${ORT_VERSION}_gguf-${GGUF_VERSION}_onnx-${ONNX_VERSION}_openai-${OPENAI_VERSION}_triton-${TRITONCLIENT_VERSION}"
ensure_python_tools() {
  if [ ! -f "$venv/.complete" ]; then
    log "creating the Python environment for fixtures and benchmarks"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "onnxruntime==$ORT_VERSION" "gguf==$GGUF_VERSION" \
      "onnx==$ONNX_VERSION" "numpy==$NUMPY_VERSION" "openai==$OPENAI_VERSION" \
      "tritonclient[http]==$TRITONCLIENT_VERSION"
    touch "$venv/.complete"
  fi
  ln -sfn "$venv" "$prefix/venv"
}

# Generated GGUF models; remade whenever the generator changes.
ensure_fixtures() {
  local models="$prefix/share/models" stamp
  stamp=$(sha256sum "$root/Scripts/make_tiny_gguf.py" | cut -c1-16)
  if [ "$(cat "$models/.gguf-stamp" 2>/dev/null)" != "$stamp" ]; then
    log "writing GGUF test models"
    # Written beside the target and renamed over it: a process that has the old file mapped keeps its pages
    # (rewriting in place would SIGBUS it), and a half-written file is never visible under the real name.
    "$venv/bin/python" "$root/Scripts/make_tiny_gguf.py" --out "$models/.tiny-llama.gguf.new"
    "$venv/bin/python" "$root/Scripts/make_tiny_gguf.py" --out "$models/.tiny-embed.gguf.new" --embedding
    mv -f "$models/.tiny-llama.gguf.new" "$models/tiny-llama.gguf"
    mv -f "$models/.tiny-embed.gguf.new" "$models/tiny-embed.gguf"
    echo "$stamp" > "$models/.gguf-stamp"
  fi
}

# pkg-config files for SwiftPM's system library targets. No `-Wl,-rpath` in them: SwiftPM rejects that flag
# ("prohibited flag"), so run-time lookup comes from ldconfig (above) or `-Xlinker -rpath` (the Makefile).
write_pkgconfig() {
  mkdir -p "$prefix/lib/pkgconfig"
  cat > "$prefix/lib/pkgconfig/libonnxruntime.pc" <<EOF
prefix=$prefix
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: onnxruntime
Description: ONNX Runtime (shared library from the onnxruntime $ORT_VERSION wheel)
Version: $ORT_VERSION
Libs: -L\${libdir} -lonnxruntime
Cflags: -I\${includedir}
EOF
  cat > "$prefix/lib/pkgconfig/llama.pc" <<EOF
prefix=$prefix
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: llama
Description: llama.cpp (from llama-cpp-python $LLAMA_CPP_PYTHON_VERSION's vendored source)
Version: $LLAMA_CPP_PYTHON_VERSION
Libs: -L\${libdir} -lllama -lggml -lggml-base
Cflags: -I\${includedir}
EOF
}

finish() {
  write_pkgconfig
  ensure_python_tools
  ln -sfn "$prefix" "$root/.native"
  register_with_loader
  ensure_fixtures
  log "ready: $prefix"
  echo "$prefix"
}

if [ -f "$prefix/.complete" ]; then
  log "reusing cached build ($key)"
  finish
  exit 0
fi

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [ -f "$prefix/.complete" ]; then finish; exit 0; fi

need_apt=()
command -v cmake >/dev/null || need_apt+=(cmake)
command -v ninja >/dev/null || need_apt+=(ninja-build)
command -v pkg-config >/dev/null || need_apt+=(pkg-config)
command -v unzip >/dev/null || need_apt+=(unzip)
if [ ${#need_apt[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing ${need_apt[*]}: run 'sudo apt-get install -y ${need_apt[*]}'"
  log "installing ${need_apt[*]} with apt"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
command -v python3 >/dev/null || die "python3 is required"

# Downloads and the llama.cpp build tree depend on the versions only, so a new setup revision reuses them.
work="$cache/work-ort-${ORT_VERSION}_llama-${LLAMA_CPP_PYTHON_VERSION}"
stage="$prefix.partial"
rm -rf "$stage"
mkdir -p "$work/downloads" "$stage/lib" "$stage/include" "$stage/bin" "$stage/share/models"

# --- ONNX Runtime -------------------------------------------------------------------------------------------------
if ! ls "$work"/downloads/onnxruntime-"$ORT_VERSION"-*.whl >/dev/null 2>&1; then
  log "downloading onnxruntime $ORT_VERSION wheel"
  python3 -m pip download -q --no-deps --only-binary :all: -d "$work/downloads" "onnxruntime==$ORT_VERSION"
fi
wheel=$(ls "$work"/downloads/onnxruntime-"$ORT_VERSION"-*.whl | head -n1)
rm -rf "$work/ort" && mkdir -p "$work/ort"
unzip -q -o "$wheel" 'onnxruntime/capi/libonnxruntime.so*' 'onnxruntime/datasets/*.onnx' -d "$work/ort"
cp "$work/ort/onnxruntime/capi/libonnxruntime.so.$ORT_VERSION" "$stage/lib/"
ln -sfn "libonnxruntime.so.$ORT_VERSION" "$stage/lib/libonnxruntime.so.1"
ln -sfn "libonnxruntime.so.1" "$stage/lib/libonnxruntime.so"
cp "$work"/ort/onnxruntime/datasets/{logreg_iris,mul_1,sigmoid}.onnx "$stage/share/models/"

# --- llama.cpp ----------------------------------------------------------------------------------------------------
sdist="$work/downloads/llama_cpp_python-$LLAMA_CPP_PYTHON_VERSION.tar.gz"
if [ ! -f "$sdist" ]; then
  log "downloading llama-cpp-python $LLAMA_CPP_PYTHON_VERSION sdist (this installs its build backend first: minutes)"
  python3 -m pip download -q --no-deps --no-binary :all: -d "$work/downloads" "llama-cpp-python==$LLAMA_CPP_PYTHON_VERSION"
fi
src="$work/llama-src"
if [ ! -f "$src/CMakeLists.txt" ]; then
  rm -rf "$work/sdist" "$src" && mkdir -p "$work/sdist"
  tar -xzf "$sdist" -C "$work/sdist"
  mv "$work/sdist/llama_cpp_python-$LLAMA_CPP_PYTHON_VERSION/vendor/llama.cpp" "$src"
  rm -rf "$work/sdist"
fi
log "building libllama with cmake + ninja (-j$jobs; a few minutes the first time)"
cmake -S "$src" -B "$work/llama-build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON \
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF \
  -DGGML_NATIVE=OFF -DGGML_OPENMP=OFF \
  -DCMAKE_BUILD_WITH_INSTALL_RPATH=ON -DCMAKE_INSTALL_RPATH="$prefix/lib" >"$work/cmake-configure.log" 2>&1 \
  || { tail -n 40 "$work/cmake-configure.log" >&2; die "cmake configure failed (log: $work/cmake-configure.log)"; }
cmake --build "$work/llama-build" --target llama llama-bench llama-batched-bench -j "$jobs" >"$work/cmake-build.log" 2>&1 \
  || { tail -n 40 "$work/cmake-build.log" >&2; die "llama.cpp build failed (log: $work/cmake-build.log)"; }
find "$work/llama-build" -name '*.so*' \( -type f -o -type l \) -exec cp -P {} "$stage/lib/" \;
cp "$work/llama-build/bin/llama-bench" "$work/llama-build/bin/llama-batched-bench" "$stage/bin/"
mkdir -p "$stage/share/llama-vocab" "$stage/share/llama-templates"
cp "$src"/models/ggml-vocab-*.gguf* "$stage/share/llama-vocab/"
cp -R "$src"/models/templates/. "$stage/share/llama-templates/"
cp "$src/include/llama.h" "$stage/include/"
cp "$src"/ggml/include/*.h "$stage/include/"

mv "$stage" "$prefix"
touch "$prefix/.complete"
finish
