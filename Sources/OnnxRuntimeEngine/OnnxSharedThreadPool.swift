/// One set of ONNX Runtime thread pools shared by every model that opts in, instead of pools per session.
///
/// By default every loaded model (every ORT session) starts its own intra-op pool of `threads` threads. With ten
/// small models loaded that is ten pools, each thread with its own stack, mostly idle. A shared pool
/// (`CreateEnvWithGlobalThreadPools`, and `DisablePerSessionThreads` on each session) caps the process at one pool:
/// use it when many models are loaded at once and they are not all busy at the same time, e.g. a server holding
/// many small classifiers. Keep per-session pools when one or two large models must each get their own cores, or
/// when models need different thread counts.
///
/// The pool belongs to ORT's process-wide environment, which is created when the first model loads, so it must be
/// chosen before that: call ``OnnxRuntime/configureSharedThreadPool(_:)`` early, or set
/// `MODELREGISTRY_ORT_SHARED_THREADS=N`. Models then use it unless their `threadPool` parameter is `own`; their
/// `threads` setting is ignored while they use the shared pool.
///
/// ```swift
/// try OnnxRuntime.configureSharedThreadPool(OnnxSharedThreadPool(intraOpThreads: 2))
/// ```
public struct OnnxSharedThreadPool: Sendable, Hashable {
    /// Threads of the shared intra-op pool (`SetGlobalIntraOpNumThreads`); 0 lets ORT choose (one per core).
    public var intraOpThreads: Int
    /// Threads of the shared inter-op pool (`SetGlobalInterOpNumThreads`); 0 lets ORT choose.
    public var interOpThreads: Int
    /// Whether idle pool threads spin before sleeping (`SetGlobalSpinControl`): lower latency, more CPU.
    public var allowSpinning: Bool

    /// The environment variable that turns the shared pool on with that many intra-op threads.
    public static let environmentVariable = "MODELREGISTRY_ORT_SHARED_THREADS"

    /// Describes a shared pool.
    /// - Parameters:
    ///   - intraOpThreads: Threads inside one operator; 0 lets ORT choose.
    ///   - interOpThreads: Threads across operators; 0 lets ORT choose.
    ///   - allowSpinning: Whether idle threads spin before sleeping.
    public init(intraOpThreads: Int = 1, interOpThreads: Int = 1, allowSpinning: Bool = true) {
        self.intraOpThreads = intraOpThreads
        self.interOpThreads = interOpThreads
        self.allowSpinning = allowSpinning
    }
}
