// The floor for ModelRegistry's ONNX benchmark: the same ONNX Runtime C calls the Swift engine makes per `run`,
// in a plain C loop, with nothing around them. Built by the benchmark with `cc` against the package's own
// declaration of the C API (Sources/COnnxRuntime/onnxruntime_subset.h) and the setup's libonnxruntime.
//
// Per call: CreateTensorWithDataAsOrtValue over the input's memory, Run (names and run options made once), then
// every output read into plain memory as the engine reads it into Swift values (tensors copied; sequences and maps
// walked with GetValueCount/GetValue), and everything released.
//
// Usage: ort_floor MODEL SHAPE(comma-separated) THREADS RUNS CALLS WARMUP
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

/// Reads a value the way the engine does: tensors copied out, sequences and maps walked element by element.
static void read_value(OrtValue *value, OrtAllocator *allocator) {
    ONNXType kind;
    check(api->GetValueType(value, &kind), "GetValueType");
    if (kind == ONNX_TYPE_TENSOR) {
        OrtTensorTypeAndShapeInfo *info;
        check(api->GetTensorTypeAndShape(value, &info), "GetTensorTypeAndShape");
        ONNXTensorElementDataType type;
        size_t rank, count;
        int64_t dims[16];
        check(api->GetTensorElementType(info, &type), "GetTensorElementType");
        check(api->GetDimensionsCount(info, &rank), "GetDimensionsCount");
        check(api->GetDimensions(info, dims, rank), "GetDimensions");
        check(api->GetTensorShapeElementCount(info, &count), "GetTensorShapeElementCount");
        api->ReleaseTensorTypeAndShapeInfo(info);
        void *data;
        if (count > 0) {
            check(api->GetTensorMutableData(value, &data), "GetTensorMutableData");
            size_t bytes = count * (type == ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 || type == ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE ? 8 : 4);
            memcpy(scratch, data, bytes < sizeof scratch ? bytes : sizeof scratch);
        }
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
    if (argc != 7) {
        fprintf(stderr, "usage: %s MODEL SHAPE THREADS RUNS CALLS WARMUP\n", argv[0]);
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
    for (size_t i = 0; i < output_count; i++)
        check(api->SessionGetOutputName(session, i, allocator, &output_names[i]), "SessionGetOutputName");
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
