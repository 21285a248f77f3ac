// swift-tools-version:6.0
import PackageDescription

/// Strictness shared by every Swift target.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "ModelRegistry",
    platforms: [.macOS(.v15)],
    products: [
        /// The registry core: records, factory, leases, events, workers, configuration, catalog. No native code.
        .library(name: "ModelRegistry", targets: ["ModelRegistry"]),
        /// The ONNX Runtime and llama.cpp engines, and a factory with both registered.
        .library(
            name: "ModelRegistryEngines", targets: ["ModelRegistryEngines", "OnnxRuntimeEngine", "LlamaEngine", "ModelPreflight"]
        ),
        /// The ONNX Runtime engine alone (an ONNX-only app does not link libllama).
        .library(name: "OnnxRuntimeEngine", targets: ["OnnxRuntimeEngine", "ModelPreflight"]),
        /// The llama.cpp engine alone.
        .library(name: "LlamaEngine", targets: ["LlamaEngine", "ModelPreflight"]),
        /// The child process the engines load unverified model files in first, so an abort in libllama kills only it.
        .executable(name: "model-preflight", targets: ["model-preflight"]),
        /// The registry over HTTP: a transport-neutral router for the management, OpenAI and KServe v2 APIs.
        .library(name: "ModelRegistryHTTP", targets: ["ModelRegistryHTTP"]),
    ],
    targets: [
        // Core
        .target(name: "ModelRegistry", swiftSettings: swiftSettings),

        // Native libraries, found through the pkg-config files Scripts/install-native-deps.sh writes.
        .systemLibrary(name: "COnnxRuntime", pkgConfig: "libonnxruntime"),
        .systemLibrary(name: "CLlama", pkgConfig: "llama"),

        // Engines
        .target(name: "ModelPreflight", dependencies: ["ModelRegistry"], swiftSettings: swiftSettings),
        .target(
            name: "OnnxRuntimeEngine", dependencies: ["ModelRegistry", "COnnxRuntime", "ModelPreflight"],
            swiftSettings: swiftSettings
        ),
        .target(name: "LlamaEngine", dependencies: ["ModelRegistry", "CLlama", "ModelPreflight"], swiftSettings: swiftSettings),
        .target(
            name: "ModelRegistryEngines",
            dependencies: ["ModelRegistry", "OnnxRuntimeEngine", "LlamaEngine"],
            swiftSettings: swiftSettings
        ),

        // HTTP: the router core imports only ModelRegistry; the OpenAI and KServe files import their engine.
        .target(
            name: "ModelRegistryHTTP", dependencies: ["ModelRegistry", "OnnxRuntimeEngine", "LlamaEngine"],
            swiftSettings: swiftSettings
        ),

        // Tools
        .executableTarget(
            name: "model-preflight", dependencies: ["ModelRegistry", "ModelPreflight", "LlamaEngine", "OnnxRuntimeEngine"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "model-catalog", dependencies: ["ModelRegistry", "ExampleSupport"], path: "Examples/model-catalog",
            swiftSettings: swiftSettings
        ),

        // Examples and benchmarks (they run the real engines on the fixtures Scripts/install-native-deps.sh installs)
        .target(name: "ExampleSupport", dependencies: ["ModelRegistry"], path: "Examples/Support", swiftSettings: swiftSettings),
        .executableTarget(
            name: "iris", dependencies: ["ModelRegistry", "ModelRegistryEngines", "OnnxRuntimeEngine", "ExampleSupport"],
            path: "Examples/iris", swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "generate", dependencies: ["ModelRegistry", "ModelRegistryEngines", "LlamaEngine", "ExampleSupport"],
            path: "Examples/generate", swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "registry-tour",
            dependencies: ["ModelRegistry", "ModelRegistryEngines", "ModelRegistryHTTP", "OnnxRuntimeEngine", "ExampleSupport"],
            path: "Examples/registry-tour", swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "serve", dependencies: ["ModelRegistry", "ModelRegistryEngines", "ModelRegistryHTTP", "ExampleSupport"],
            path: "Examples/serve", swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "Benchmarks",
            dependencies: [
                "ModelRegistry", "ModelRegistryEngines", "ModelRegistryHTTP", "OnnxRuntimeEngine", "LlamaEngine",
                "ExampleSupport", "ModelPreflight", "model-preflight",
                "serve",  // started as a process by the HTTP benchmark
            ],
            path: "Benchmarks",
            exclude: ["make_mlp.py", "ort_latency.py", "ort_floor.c"],  // run by the benchmark (Python, cc)
            swiftSettings: swiftSettings
        ),

        // Tests
        .target(name: "ModelRegistryTestSupport", dependencies: ["ModelRegistry"], path: "Tests/Support", swiftSettings: swiftSettings),
        .testTarget(
            name: "ModelRegistryTests",
            dependencies: ["ModelRegistry", "ModelRegistryTestSupport", "ExampleSupport", "model-catalog"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OnnxRuntimeEngineTests",
            dependencies: ["OnnxRuntimeEngine", "ModelRegistryTestSupport"],
            exclude: ["Fixtures"],  // read through #filePath; written by Scripts/onnx_reference.py
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "ModelRegistry", "ModelRegistryEngines", "OnnxRuntimeEngine", "LlamaEngine", "ModelRegistryTestSupport",
                "model-preflight",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LlamaEngineTests",
            dependencies: [
                "LlamaEngine", "ModelPreflight", "ModelRegistryTestSupport", "ExampleSupport", "model-preflight",  // runs the child
            ],
            exclude: ["Fixtures"],  // read through #filePath; written by Fixtures/make_crash_fixtures.py
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PreflightTests",
            dependencies: [
                "ModelPreflight", "OnnxRuntimeEngine", "ModelRegistryTestSupport", "ExampleSupport", "model-preflight",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ExamplesTests",
            dependencies: ["ModelRegistry", "ModelRegistryTestSupport", "iris", "generate", "registry-tour", "model-preflight"],  // run as processes
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ModelRegistryHTTPTests",
            dependencies: [
                "ModelRegistryHTTP", "ModelRegistry", "ModelRegistryEngines", "ModelRegistryTestSupport", "model-preflight",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ServeTests",
            dependencies: ["ModelRegistry", "ModelRegistryTestSupport", "ExampleSupport", "serve", "model-preflight"],  // run as processes
            exclude: ["Clients"],  // Python scripts run with the setup's venv
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
