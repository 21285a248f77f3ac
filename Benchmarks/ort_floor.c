// The floor for ModelRegistry's ONNX benchmark: the same ONNX Runtime C calls the Swift engine makes per `run`,
// in a plain C loop, with nothing around them. Built by the benchmark with `cc` against the package's own
// declaration of the C API (Sources/COnnxRuntime/onnxruntime_subset.h) and the setup's libonnxruntime.
//
// Per call: CreateTensorWithDataAsOrtValue over the input's memory, Run (names and run options made once), then
// every output read into plain memory as the engine reads it into Swift values, and everything released. Reading
// makes the same C calls as the engine (Sources/OnnxRuntimeEngine/Native/ORTValueReader.swift), which are what any
// C caller must make, since the C API has no other way into a sequence or a map:
// - a tensor: GetTensorTypeAndShape (+ element type, rank, dimensions, release), GetTensorMutableData, a copy;
// - a sequence (ZipMap: one map per input row): GetValueCount, then GetValue for each element (ORT copies the map);
// - a map: GetValue 0 (ORT copies the keys into a new tensor), read as a tensor; GetValue 1 (the values, copied
//   again), read without a second type query: it has as many elements as the keys, of the element type the model
//   declares (looked up once here, from the first map, as the engine has it from the session's type info).
// Only the destination differs: plain memory here, new Swift arrays in the engine. So the ratio to this loop is the
// engine's Swift overhead.
//
// The engine builds a final ZipMap in Swift from the tensor the ZipMap reads, fetched from a model rewritten to
// output it (OnnxZipMapRewrite). To make the same calls, the benchmark then passes that rewritten model and the
// outputs the engine fetches (OUTPUTS); the loop copies the tensor, where the engine also builds the maps. Without
// OUTPUTS it fetches every output of MODEL: given the original file, ORT's ZipMap read through the C API.
//
// Usage: ort_floor MODEL SHAPE(comma-separated) THREADS RUNS CALLS WARMUP [OUTPUTS(comma-separated)]
// Prints JSON: {"runs_us": [mean wall-clock µs per call of each run], "cpu_us": [the same in process CPU time]}.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "onnxruntime_subset.h"

static const OrtApi *api;

static void check(OrtStatus *status, const char *what) {
    if (status == NULL) return;
    fprintf(stderr, "%s failed: %s\n", what, api->GetErrorMessage(status));
    exit(1);
}

static double now_us(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static char scratch[1 << 20];

static size_t element_width(ONNXTensorElementDataType type) {
    switch (type) {
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64: case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64:
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE: return 8;
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16: case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16:
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16: case ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16: return 2;
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8: case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8:
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL: return 1;
    default: return 4;
    }
}

static void copy_data(OrtValue *value, size_t count, ONNXTensorElementDataType type) {
    if (count == 0) return;
    void *data;
    check(api->GetTensorMutableData(value, &data), "GetTensorMutableData");
    size_t bytes = count * element_width(type);
    memcpy(scratch, data, bytes < sizeof scratch ? bytes : sizeof scratch);
}

/// Reads a tensor as the engine does; returns its element count.
static size_t read_tensor(OrtValue *value) {
    OrtTensorTypeAndShapeInfo *info;
    check(api->GetTensorTypeAndShape(value, &info), "GetTensorTypeAndShape");
    ONNXTensorElementDataType type;
    size_t rank;
    int64_t dims[16];
    check(api->GetTensorElementType(info, &type), "GetTensorElementType");
    check(api->GetDimensionsCount(info, &rank), "GetDimensionsCount");
    check(api->GetDimensions(info, dims, rank), "GetDimensions");
    api->ReleaseTensorTypeAndShapeInfo(info);
    size_t count = 1;
    for (size_t i = 0; i < rank; i++) count *= (size_t)dims[i];
    copy_data(value, count, type);
    return count;
}

/// The element type of a map's values, from the first map read (the engine has it from the model's declaration).
static ONNXTensorElementDataType map_value_type = ONNX_TENSOR_ELEMENT_DATA_TYPE_UNDEFINED;

/// Reads a value the way the engine does (see the top of the file).
static void read_value(OrtValue *value, OrtAllocator *allocator) {
    ONNXType kind;
    check(api->GetValueType(value, &kind), "GetValueType");
    if (kind == ONNX_TYPE_TENSOR) {
        read_tensor(value);
        return;
    }
    if (kind == ONNX_TYPE_MAP) {
        OrtValue *keys, *values;
        check(api->GetValue(value, 0, allocator, &keys), "GetValue");
        size_t count = read_tensor(keys);
        api->ReleaseValue(keys);
        check(api->GetValue(value, 1, allocator, &values), "GetValue");
        if (map_value_type == ONNX_TENSOR_ELEMENT_DATA_TYPE_UNDEFINED) {
            OrtTensorTypeAndShapeInfo *info;
            check(api->GetTensorTypeAndShape(values, &info), "GetTensorTypeAndShape");
            check(api->GetTensorElementType(info, &map_value_type), "GetTensorElementType");
            api->ReleaseTensorTypeAndShapeInfo(info);
        }
        copy_data(values, count, map_value_type);
        api->ReleaseValue(values);
        return;
    }
    size_t count;
    check(api->GetValueCount(value, &count), "GetValueCount");
    for (size_t i = 0; i < count; i++) {
        OrtValue *element;
        check(api->GetValue(value, (int)i, allocator, &element), "GetValue");
        read_value(element, allocator);
        api->ReleaseValue(element);
    }
}

int main(int argc, char **argv) {
    if (argc != 7 && argc != 8) {
        fprintf(stderr, "usage: %s MODEL SHAPE THREADS RUNS CALLS WARMUP [OUTPUTS]\n", argv[0]);
        return 2;
    }
    api = OrtGetApiBase()->GetApi(ORT_API_VERSION);
    if (api == NULL) return 1;
    int64_t shape[8];
    size_t rank = 0, count = 1;
    for (char *part = strtok(argv[2], ","); part != NULL && rank < 8; part = strtok(NULL, ",")) {
        shape[rank] = atoll(part);
        count *= (size_t)shape[rank++];
    }
    int threads = atoi(argv[3]), runs = atoi(argv[4]), calls = atoi(argv[5]), warmup = atoi(argv[6]);

    OrtEnv *env;
    check(api->CreateEnv(ORT_LOGGING_LEVEL_ERROR, "floor", &env), "CreateEnv");
    OrtSessionOptions *options;
    check(api->CreateSessionOptions(&options), "CreateSessionOptions");
    check(api->SetIntraOpNumThreads(options, threads), "SetIntraOpNumThreads");
    OrtSession *session;
    check(api->CreateSession(env, argv[1], options, &session), "CreateSession");
    OrtAllocator *allocator;
    check(api->GetAllocatorWithDefaultOptions(&allocator), "GetAllocatorWithDefaultOptions");

    char *input_name;
    check(api->SessionGetInputName(session, 0, allocator, &input_name), "SessionGetInputName");
    size_t output_count;
    check(api->SessionGetOutputCount(session, &output_count), "SessionGetOutputCount");
    char *output_names[16];
    if (argc == 8) {
        output_count = 0;
        for (char *part = strtok(argv[7], ","); part != NULL && output_count < 16; part = strtok(NULL, ","))
            output_names[output_count++] = part;
    } else {
        if (output_count > 16) output_count = 16;
        for (size_t i = 0; i < output_count; i++)
            check(api->SessionGetOutputName(session, i, allocator, &output_names[i]), "SessionGetOutputName");
    }
    OrtMemoryInfo *memory;
    check(api->CreateCpuMemoryInfo(OrtArenaAllocator, OrtMemTypeDefault, &memory), "CreateCpuMemoryInfo");
    OrtRunOptions *run_options;
    check(api->CreateRunOptions(&run_options), "CreateRunOptions");

    float *input = malloc(count * sizeof(float));
    for (size_t i = 0; i < count; i++) input[i] = (float)((i * 7) % 13) / 4.0f;

    double *cpu = calloc((size_t)runs + 1, sizeof(double));
    printf("{\"runs_us\": [");
    for (int run = -1; run < runs; run++) {
        int n = run < 0 ? warmup : calls;
        double start = now_us(CLOCK_MONOTONIC), cpu_start = now_us(CLOCK_PROCESS_CPUTIME_ID);
        for (int call = 0; call < n; call++) {
            OrtValue *x;
            check(api->CreateTensorWithDataAsOrtValue(memory, input, count * sizeof(float), shape, rank,
                                                      ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, &x),
                  "CreateTensorWithDataAsOrtValue");
            OrtValue *outputs[16] = {0};
            const char *names[1] = {input_name};
            check(api->Run(session, run_options, names, (const OrtValue *const *)&x, 1,
                           (const char *const *)output_names, output_count, outputs),
                  "Run");
            for (size_t i = 0; i < output_count; i++) {
                read_value(outputs[i], allocator);
                api->ReleaseValue(outputs[i]);
            }
            api->ReleaseValue(x);
        }
        if (run >= 0) {
            printf("%s%.4f", run == 0 ? "" : ", ", (now_us(CLOCK_MONOTONIC) - start) / n);
            cpu[run] = (now_us(CLOCK_PROCESS_CPUTIME_ID) - cpu_start) / n;
        }
    }
    printf("], \"cpu_us\": [");
    for (int run = 0; run < runs; run++) printf("%s%.4f", run == 0 ? "" : ", ", cpu[run]);
    printf("]}\n");
    return 0;
}
