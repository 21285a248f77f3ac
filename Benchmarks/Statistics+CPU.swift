import Foundation

extension Statistics {
    /// The CPU time this process has used so far, all threads (`CLOCK_PROCESS_CPUTIME_ID`), in seconds.
    static func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
