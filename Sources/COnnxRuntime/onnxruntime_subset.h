// The subset of the ONNX Runtime C API (API version 23, ONNX Runtime 1.23) that OnnxRuntimeEngine uses.
//
// No package we can depend on ships ORT's headers, so this file declares, in our own words, exactly what the
// engine calls. The C API is one table of function pointers (`OrtApi`) returned by `OrtGetApiBase()->GetApi(N)`.
// Its layout is append-only: a member never moves once published (ORT's own onnxruntime_c_api.cc checks this with
// static_asserts, e.g. ReleaseCustomOpDomain at slot 101, ReleaseModelMetadata at 118,
// AddFreeDimensionOverrideByName at 124, ReleaseAvailableProviders at 126, SetGlobalSpinControl at 149,
// ReleaseArenaCfg at 157). So the prefix declared here, slots
// 0-157 in published order, is valid for every API version >= 6, including 23. Members the engine does not call are
// `void *` placeholders named after the real member, which keeps the order readable and the offsets exact. The
// _Static_asserts at the end pin the slot numbers; the tests also call GetAvailableProviders (slot 125) and the
// model-metadata functions (slots 111-118) and compare with the Python API, which would fail on a shifted table.
//
// Paths are `char` (UTF-8): this header does not support Windows, where ORTCHAR_T is wchar_t.
#ifndef MODELREGISTRY_ONNXRUNTIME_SUBSET_H
#define MODELREGISTRY_ONNXRUNTIME_SUBSET_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The API version these declarations follow. `GetApi(ORT_API_VERSION)` returns NULL on an older library.
#define ORT_API_VERSION 23

// MARK: - Enums (values as published)

typedef enum ONNXTensorElementDataType {
    ONNX_TENSOR_ELEMENT_DATA_TYPE_UNDEFINED = 0,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT = 1,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 = 2,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 = 3,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 = 4,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 = 5,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 = 6,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 = 7,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING = 8,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL = 9,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 = 10,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE = 11,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 = 12,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64 = 13,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_COMPLEX64 = 14,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_COMPLEX128 = 15,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 = 16,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT8E4M3FN = 17,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT8E4M3FNUZ = 18,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT8E5M2 = 19,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT8E5M2FNUZ = 20,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT4 = 21,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_INT4 = 22,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT4E2M1 = 23,
} ONNXTensorElementDataType;

typedef enum ONNXType {
    ONNX_TYPE_UNKNOWN = 0,
    ONNX_TYPE_TENSOR = 1,
    ONNX_TYPE_SEQUENCE = 2,
    ONNX_TYPE_MAP = 3,
    ONNX_TYPE_OPAQUE = 4,
    ONNX_TYPE_SPARSETENSOR = 5,
    ONNX_TYPE_OPTIONAL = 6,
} ONNXType;

typedef enum OrtLoggingLevel {
    ORT_LOGGING_LEVEL_VERBOSE = 0,
    ORT_LOGGING_LEVEL_INFO = 1,
    ORT_LOGGING_LEVEL_WARNING = 2,
    ORT_LOGGING_LEVEL_ERROR = 3,
    ORT_LOGGING_LEVEL_FATAL = 4,
} OrtLoggingLevel;

typedef enum OrtErrorCode {
    ORT_OK = 0,
    ORT_FAIL = 1,
    ORT_INVALID_ARGUMENT = 2,
    ORT_NO_SUCHFILE = 3,
    ORT_NO_MODEL = 4,
    ORT_ENGINE_ERROR = 5,
    ORT_RUNTIME_EXCEPTION = 6,
    ORT_INVALID_PROTOBUF = 7,
    ORT_MODEL_LOADED = 8,
    ORT_NOT_IMPLEMENTED = 9,
    ORT_INVALID_GRAPH = 10,
    ORT_EP_FAIL = 11,
    ORT_MODEL_LOAD_CANCELED = 12,
    ORT_MODEL_REQUIRES_COMPILATION = 13,
    ORT_NOT_FOUND = 14,
} OrtErrorCode;

typedef enum GraphOptimizationLevel {
    ORT_DISABLE_ALL = 0,
    ORT_ENABLE_BASIC = 1,
    ORT_ENABLE_EXTENDED = 2,
    ORT_ENABLE_LAYOUT = 3,
    ORT_ENABLE_ALL = 99,
} GraphOptimizationLevel;

typedef enum OrtAllocatorType {
    OrtInvalidAllocator = -1,
    OrtDeviceAllocator = 0,
    OrtArenaAllocator = 1,
    OrtReadOnlyAllocator = 2,
} OrtAllocatorType;

typedef enum OrtMemType {
    OrtMemTypeCPUInput = -2,
    OrtMemTypeCPUOutput = -1,
    OrtMemTypeCPU = OrtMemTypeCPUOutput,
    OrtMemTypeDefault = 0,
} OrtMemType;

// MARK: - Opaque handles

typedef struct OrtEnv OrtEnv;
typedef struct OrtStatus OrtStatus;
typedef struct OrtMemoryInfo OrtMemoryInfo;
typedef struct OrtSession OrtSession;
typedef struct OrtValue OrtValue;
typedef struct OrtRunOptions OrtRunOptions;
typedef struct OrtTypeInfo OrtTypeInfo;
typedef struct OrtTensorTypeAndShapeInfo OrtTensorTypeAndShapeInfo;
typedef struct OrtSessionOptions OrtSessionOptions;
typedef struct OrtMapTypeInfo OrtMapTypeInfo;
typedef struct OrtSequenceTypeInfo OrtSequenceTypeInfo;
typedef struct OrtModelMetadata OrtModelMetadata;
typedef struct OrtThreadingOptions OrtThreadingOptions;

/// A memory allocator: a versioned struct of function pointers (ORT owns the default one).
typedef struct OrtAllocator {
    uint32_t version;
    void *(*Alloc)(struct OrtAllocator *this_, size_t size);
    void (*Free)(struct OrtAllocator *this_, void *p);
    const struct OrtMemoryInfo *(*Info)(const struct OrtAllocator *this_);
} OrtAllocator;

/// Receives every message ORT logs at or above the environment's severity (`CreateEnvWithCustomLogger`). It may be
/// called on any thread, concurrently.
typedef void (*OrtLoggingFunction)(void *param, OrtLoggingLevel severity, const char *category, const char *logid,
                                   const char *code_location, const char *message);

// MARK: - The API table

typedef struct OrtApi {
    /*   0 */ void *CreateStatus;
    /*   1 */ OrtErrorCode (*GetErrorCode)(const OrtStatus *status);
    /*   2 */ const char *(*GetErrorMessage)(const OrtStatus *status);
    /*   3 */ OrtStatus *(*CreateEnv)(OrtLoggingLevel log_severity_level, const char *logid, OrtEnv **out);
    /*   4 */ OrtStatus *(*CreateEnvWithCustomLogger)(OrtLoggingFunction logging_function, void *logger_param,
                                                     OrtLoggingLevel log_severity_level, const char *logid,
                                                     OrtEnv **out);
    /*   5 */ void *EnableTelemetryEvents;
    /*   6 */ void *DisableTelemetryEvents;
    /*   7 */ OrtStatus *(*CreateSession)(const OrtEnv *env, const char *model_path, const OrtSessionOptions *options,
                                         OrtSession **out);
    /*   8 */ OrtStatus *(*CreateSessionFromArray)(const OrtEnv *env, const void *model_data, size_t model_data_length,
                                                  const OrtSessionOptions *options, OrtSession **out);
    /*   9 */ OrtStatus *(*Run)(OrtSession *session, const OrtRunOptions *run_options,
                               const char *const *input_names, const OrtValue *const *inputs, size_t input_len,
                               const char *const *output_names, size_t output_names_len, OrtValue **outputs);
    /*  10 */ OrtStatus *(*CreateSessionOptions)(OrtSessionOptions **options);
    /*  11 */ void *SetOptimizedModelFilePath;
    /*  12 */ void *CloneSessionOptions;
    /*  13 */ void *SetSessionExecutionMode;
    /*  14 */ void *EnableProfiling;
    /*  15 */ void *DisableProfiling;
    /*  16 */ void *EnableMemPattern;
    /*  17 */ void *DisableMemPattern;
    /*  18 */ void *EnableCpuMemArena;
    /*  19 */ void *DisableCpuMemArena;
    /*  20 */ void *SetSessionLogId;
    /*  21 */ void *SetSessionLogVerbosityLevel;
    /*  22 */ OrtStatus *(*SetSessionLogSeverityLevel)(OrtSessionOptions *options, int session_log_severity_level);
    /*  23 */ OrtStatus *(*SetSessionGraphOptimizationLevel)(OrtSessionOptions *options,
                                                            GraphOptimizationLevel graph_optimization_level);
    /*  24 */ OrtStatus *(*SetIntraOpNumThreads)(OrtSessionOptions *options, int intra_op_num_threads);
    /*  25 */ OrtStatus *(*SetInterOpNumThreads)(OrtSessionOptions *options, int inter_op_num_threads);
    /*  26 */ void *CreateCustomOpDomain;
    /*  27 */ void *CustomOpDomain_Add;
    /*  28 */ void *AddCustomOpDomain;
    /*  29 */ void *RegisterCustomOpsLibrary;
    /*  30 */ OrtStatus *(*SessionGetInputCount)(const OrtSession *session, size_t *out);
    /*  31 */ OrtStatus *(*SessionGetOutputCount)(const OrtSession *session, size_t *out);
    /*  32 */ void *SessionGetOverridableInitializerCount;
    /*  33 */ OrtStatus *(*SessionGetInputTypeInfo)(const OrtSession *session, size_t index, OrtTypeInfo **type_info);
    /*  34 */ OrtStatus *(*SessionGetOutputTypeInfo)(const OrtSession *session, size_t index, OrtTypeInfo **type_info);
    /*  35 */ void *SessionGetOverridableInitializerTypeInfo;
    /*  36 */ OrtStatus *(*SessionGetInputName)(const OrtSession *session, size_t index, OrtAllocator *allocator,
                                               char **value);
    /*  37 */ OrtStatus *(*SessionGetOutputName)(const OrtSession *session, size_t index, OrtAllocator *allocator,
                                                char **value);
    /*  38 */ void *SessionGetOverridableInitializerName;
    /*  39 */ OrtStatus *(*CreateRunOptions)(OrtRunOptions **out);
    /*  40 */ void *RunOptionsSetRunLogVerbosityLevel;
    /*  41 */ void *RunOptionsSetRunLogSeverityLevel;
    /*  42 */ void *RunOptionsSetRunTag;
    /*  43 */ void *RunOptionsGetRunLogVerbosityLevel;
    /*  44 */ void *RunOptionsGetRunLogSeverityLevel;
    /*  45 */ void *RunOptionsGetRunTag;
    /*  46 */ OrtStatus *(*RunOptionsSetTerminate)(OrtRunOptions *options);
    /*  47 */ void *RunOptionsUnsetTerminate;
    /*  48 */ OrtStatus *(*CreateTensorAsOrtValue)(OrtAllocator *allocator, const int64_t *shape, size_t shape_len,
                                                  ONNXTensorElementDataType type, OrtValue **out);
    /*  49 */ OrtStatus *(*CreateTensorWithDataAsOrtValue)(const OrtMemoryInfo *info, void *p_data, size_t p_data_len,
                                                          const int64_t *shape, size_t shape_len,
                                                          ONNXTensorElementDataType type, OrtValue **out);
    /*  50 */ OrtStatus *(*IsTensor)(const OrtValue *value, int *out);
    /*  51 */ OrtStatus *(*GetTensorMutableData)(OrtValue *value, void **out);
    /*  52 */ OrtStatus *(*FillStringTensor)(OrtValue *value, const char *const *s, size_t s_len);
    /*  53 */ OrtStatus *(*GetStringTensorDataLength)(const OrtValue *value, size_t *len);
    /*  54 */ OrtStatus *(*GetStringTensorContent)(const OrtValue *value, void *s, size_t s_len, size_t *offsets,
                                                  size_t offsets_len);
    /*  55 */ OrtStatus *(*CastTypeInfoToTensorInfo)(const OrtTypeInfo *type_info,
                                                    const OrtTensorTypeAndShapeInfo **out);
    /*  56 */ OrtStatus *(*GetOnnxTypeFromTypeInfo)(const OrtTypeInfo *type_info, ONNXType *out);
    /*  57 */ void *CreateTensorTypeAndShapeInfo;
    /*  58 */ void *SetTensorElementType;
    /*  59 */ void *SetDimensions;
    /*  60 */ OrtStatus *(*GetTensorElementType)(const OrtTensorTypeAndShapeInfo *info, ONNXTensorElementDataType *out);
    /*  61 */ OrtStatus *(*GetDimensionsCount)(const OrtTensorTypeAndShapeInfo *info, size_t *out);
    /*  62 */ OrtStatus *(*GetDimensions)(const OrtTensorTypeAndShapeInfo *info, int64_t *dim_values,
                                         size_t dim_values_length);
    /*  63 */ void *GetSymbolicDimensions;
    /*  64 */ OrtStatus *(*GetTensorShapeElementCount)(const OrtTensorTypeAndShapeInfo *info, size_t *out);
    /*  65 */ OrtStatus *(*GetTensorTypeAndShape)(const OrtValue *value, OrtTensorTypeAndShapeInfo **out);
    /*  66 */ void *GetTypeInfo;
    /*  67 */ OrtStatus *(*GetValueType)(const OrtValue *value, ONNXType *out);
    /*  68 */ void *CreateMemoryInfo;
    /*  69 */ OrtStatus *(*CreateCpuMemoryInfo)(OrtAllocatorType type, OrtMemType mem_type, OrtMemoryInfo **out);
    /*  70 */ void *CompareMemoryInfo;
    /*  71 */ void *MemoryInfoGetName;
    /*  72 */ void *MemoryInfoGetId;
    /*  73 */ void *MemoryInfoGetMemType;
    /*  74 */ void *MemoryInfoGetType;
    /*  75 */ void *AllocatorAlloc;
    /*  76 */ OrtStatus *(*AllocatorFree)(OrtAllocator *ort_allocator, void *p);
    /*  77 */ void *AllocatorGetInfo;
    /*  78 */ OrtStatus *(*GetAllocatorWithDefaultOptions)(OrtAllocator **out);
    /*  79 */ void *AddFreeDimensionOverride;
    /*  80 */ OrtStatus *(*GetValue)(const OrtValue *value, int index, OrtAllocator *allocator, OrtValue **out);
    /*  81 */ OrtStatus *(*GetValueCount)(const OrtValue *value, size_t *out);
    /*  82 */ void *CreateValue;
    /*  83 */ void *CreateOpaqueValue;
    /*  84 */ void *GetOpaqueValue;
    /*  85 */ void *KernelInfoGetAttribute_float;
    /*  86 */ void *KernelInfoGetAttribute_int64;
    /*  87 */ void *KernelInfoGetAttribute_string;
    /*  88 */ void *KernelContext_GetInputCount;
    /*  89 */ void *KernelContext_GetOutputCount;
    /*  90 */ void *KernelContext_GetInput;
    /*  91 */ void *KernelContext_GetOutput;
    /*  92 */ void (*ReleaseEnv)(OrtEnv *input);
    /*  93 */ void (*ReleaseStatus)(OrtStatus *input);
    /*  94 */ void (*ReleaseMemoryInfo)(OrtMemoryInfo *input);
    /*  95 */ void (*ReleaseSession)(OrtSession *input);
    /*  96 */ void (*ReleaseValue)(OrtValue *input);
    /*  97 */ void (*ReleaseRunOptions)(OrtRunOptions *input);
    /*  98 */ void (*ReleaseTypeInfo)(OrtTypeInfo *input);
    /*  99 */ void (*ReleaseTensorTypeAndShapeInfo)(OrtTensorTypeAndShapeInfo *input);
    /* 100 */ void (*ReleaseSessionOptions)(OrtSessionOptions *input);
    /* 101 */ void *ReleaseCustomOpDomain;
    /* 102 */ void *GetDenotationFromTypeInfo;
    /* 103 */ OrtStatus *(*CastTypeInfoToMapTypeInfo)(const OrtTypeInfo *type_info, const OrtMapTypeInfo **out);
    /* 104 */ OrtStatus *(*CastTypeInfoToSequenceTypeInfo)(const OrtTypeInfo *type_info,
                                                          const OrtSequenceTypeInfo **out);
    /* 105 */ OrtStatus *(*GetMapKeyType)(const OrtMapTypeInfo *map_type_info, ONNXTensorElementDataType *out);
    /* 106 */ OrtStatus *(*GetMapValueType)(const OrtMapTypeInfo *map_type_info, OrtTypeInfo **type_info);
    /* 107 */ OrtStatus *(*GetSequenceElementType)(const OrtSequenceTypeInfo *sequence_type_info,
                                                  OrtTypeInfo **type_info);
    /* 108 */ void *ReleaseMapTypeInfo;
    /* 109 */ void *ReleaseSequenceTypeInfo;
    /* 110 */ void *SessionEndProfiling;
    /* 111 */ OrtStatus *(*SessionGetModelMetadata)(const OrtSession *session, OrtModelMetadata **out);
    /* 112 */ OrtStatus *(*ModelMetadataGetProducerName)(const OrtModelMetadata *model_metadata,
                                                        OrtAllocator *allocator, char **value);
    /* 113 */ OrtStatus *(*ModelMetadataGetGraphName)(const OrtModelMetadata *model_metadata, OrtAllocator *allocator,
                                                     char **value);
    /* 114 */ OrtStatus *(*ModelMetadataGetDomain)(const OrtModelMetadata *model_metadata, OrtAllocator *allocator,
                                                  char **value);
    /* 115 */ OrtStatus *(*ModelMetadataGetDescription)(const OrtModelMetadata *model_metadata,
                                                       OrtAllocator *allocator, char **value);
    /* 116 */ void *ModelMetadataLookupCustomMetadataMap;
    /* 117 */ OrtStatus *(*ModelMetadataGetVersion)(const OrtModelMetadata *model_metadata, int64_t *value);
    /* 118 */ void (*ReleaseModelMetadata)(OrtModelMetadata *input);
    /* 119 */ OrtStatus *(*CreateEnvWithGlobalThreadPools)(OrtLoggingLevel log_severity_level, const char *logid,
                                                          const OrtThreadingOptions *tp_options, OrtEnv **out);
    /* 120 */ OrtStatus *(*DisablePerSessionThreads)(OrtSessionOptions *options);
    /* 121 */ OrtStatus *(*CreateThreadingOptions)(OrtThreadingOptions **out);
    /* 122 */ void (*ReleaseThreadingOptions)(OrtThreadingOptions *input);
    /* 123 */ void *ModelMetadataGetCustomMetadataMapKeys;
    /* 124 */ void *AddFreeDimensionOverrideByName;
    /* 125 */ OrtStatus *(*GetAvailableProviders)(char ***out_ptr, int *provider_length);
    /* 126 */ OrtStatus *(*ReleaseAvailableProviders)(char **ptr, int providers_length);
    /* 127 */ void *GetStringTensorElementLength;
    /* 128 */ void *GetStringTensorElement;
    /* 129 */ void *FillStringTensorElement;
    /* 130 */ OrtStatus *(*AddSessionConfigEntry)(OrtSessionOptions *options, const char *config_key,
                                                 const char *config_value);
    /* 131 */ void *CreateAllocator;
    /* 132 */ void *ReleaseAllocator;
    /* 133 */ void *RunWithBinding;
    /* 134 */ void *CreateIoBinding;
    /* 135 */ void *ReleaseIoBinding;
    /* 136 */ void *BindInput;
    /* 137 */ void *BindOutput;
    /* 138 */ void *BindOutputToDevice;
    /* 139 */ void *GetBoundOutputNames;
    /* 140 */ void *GetBoundOutputValues;
    /* 141 */ void *ClearBoundInputs;
    /* 142 */ void *ClearBoundOutputs;
    /* 143 */ void *TensorAt;
    /* 144 */ void *CreateAndRegisterAllocator;
    /* 145 */ void *SetLanguageProjection;
    /* 146 */ void *SessionGetProfilingStartTimeNs;
    /* 147 */ OrtStatus *(*SetGlobalIntraOpNumThreads)(OrtThreadingOptions *tp_options, int intra_op_num_threads);
    /* 148 */ OrtStatus *(*SetGlobalInterOpNumThreads)(OrtThreadingOptions *tp_options, int inter_op_num_threads);
    /* 149 */ OrtStatus *(*SetGlobalSpinControl)(OrtThreadingOptions *tp_options, int allow_spinning);
    /* 150 */ void *AddInitializer;
    /* 151 */ OrtStatus *(*CreateEnvWithCustomLoggerAndGlobalThreadPools)(
        OrtLoggingFunction logging_function, void *logger_param, OrtLoggingLevel log_severity_level,
        const char *logid, const OrtThreadingOptions *tp_options, OrtEnv **out);
    /* 152 */ void *SessionOptionsAppendExecutionProvider_CUDA;
    /* 153 */ void *SessionOptionsAppendExecutionProvider_ROCM;
    /* 154 */ void *SessionOptionsAppendExecutionProvider_OpenVINO;
    /* 155 */ void *SetGlobalDenormalAsZero;
    /* 156 */ void *CreateArenaCfg;
    /* 157 */ void *ReleaseArenaCfg;
    // Later members (slots 158 and up) are not declared: the engine never reads past slot 157, and the struct is
    // only ever used through the pointer ORT returns, never allocated or copied by us.
} OrtApi;

/// The library's entry point: hands out API tables by version.
typedef struct OrtApiBase {
    /// The table for `version`, or NULL when the library does not support it (ORT prints the versions it does).
    const OrtApi *(*GetApi)(uint32_t version);
    /// The library's version, e.g. "1.23.2".
    const char *(*GetVersionString)(void);
} OrtApiBase;

const OrtApiBase *OrtGetApiBase(void);

// MARK: - Layout checks (slot numbers from the published header and ORT's own static_asserts)

#define ORT_SUBSET_SLOT(member) (offsetof(OrtApi, member) / sizeof(void *))
_Static_assert(ORT_SUBSET_SLOT(Run) == 9, "OrtApi.Run must be slot 9");
_Static_assert(ORT_SUBSET_SLOT(SessionGetInputCount) == 30, "OrtApi.SessionGetInputCount must be slot 30");
_Static_assert(ORT_SUBSET_SLOT(CreateTensorAsOrtValue) == 48, "OrtApi.CreateTensorAsOrtValue must be slot 48");
_Static_assert(ORT_SUBSET_SLOT(GetAllocatorWithDefaultOptions) == 78, "OrtApi.GetAllocatorWithDefaultOptions must be slot 78");
_Static_assert(ORT_SUBSET_SLOT(ReleaseEnv) == 92, "OrtApi.ReleaseEnv must be slot 92");
_Static_assert(ORT_SUBSET_SLOT(ReleaseCustomOpDomain) == 101, "end of API version 1 must be slot 101");
_Static_assert(ORT_SUBSET_SLOT(ReleaseModelMetadata) == 118, "end of API version 2 must be slot 118");
_Static_assert(ORT_SUBSET_SLOT(AddFreeDimensionOverrideByName) == 124, "end of API version 3 must be slot 124");
_Static_assert(ORT_SUBSET_SLOT(ReleaseAvailableProviders) == 126, "end of API version 4 must be slot 126");
_Static_assert(ORT_SUBSET_SLOT(SetGlobalSpinControl) == 149, "end of API version 5 must be slot 149");
_Static_assert(ORT_SUBSET_SLOT(CreateEnvWithCustomLoggerAndGlobalThreadPools) == 151,
               "OrtApi.CreateEnvWithCustomLoggerAndGlobalThreadPools must be slot 151");
_Static_assert(ORT_SUBSET_SLOT(ReleaseArenaCfg) == 157, "end of API version 6 must be slot 157");
_Static_assert(ORT_SUBSET_SLOT(CreateTensorWithDataAsOrtValue) == 49, "OrtApi.CreateTensorWithDataAsOrtValue must be slot 49");
_Static_assert(ORT_SUBSET_SLOT(CreateCpuMemoryInfo) == 69, "OrtApi.CreateCpuMemoryInfo must be slot 69");

#ifdef __cplusplus
}
#endif

#endif // MODELREGISTRY_ONNXRUNTIME_SUBSET_H
