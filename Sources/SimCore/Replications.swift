import Dispatch
import Foundation

/// Runs independent jobs (replications, design points) on `jobs` threads. Each job
/// is a pure function of its index (its seed derives from the index), so results are
/// identical whatever the number of threads; they come back in index order.
public enum Parallel {
    /// The number of cores (the default for `--jobs`).
    public static var cores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Evaluate `body(i)` for i in 0..<count on up to `jobs` threads; results in index order.
    /// `progress` is called (serially) after each job completes with the number done.
    public static func map<T: Sendable>(
        _ count: Int, jobs: Int = Parallel.cores,
        progress: (@Sendable (Int) -> Void)? = nil,
        _ body: @Sendable (Int) throws -> T
    ) throws -> [T] {
        let box = ResultBox<T>(count: count)
        try forEach(count, jobs: jobs, body) { i, value in
            box.set(i, value)
            progress?(box.done)
        }
        return box.values()
    }

    /// Apply `body` to every element of `items` in place, on up to `jobs` threads. The elements
    /// must be independent of each other (each call sees only its own element), so the result
    /// is the same whatever the number of threads.
    public static func mutateEach<T>(_ items: inout [T], jobs: Int = Parallel.cores, _ body: (inout T, Int) -> Void) {
        let n = items.count
        let workers = max(1, min(jobs, n))
        if workers == 1 {
            for i in 0..<n { body(&items[i], i) }
            return
        }
        withoutActuallyEscaping(body) { body in
            items.withUnsafeMutableBufferPointer { buf in
                let base = UncheckedBox(buf.baseAddress!)
                let fn = UncheckedBox(body)
                // Interleaved chunks balance uneven elements (communities of different sizes).
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    var i = w
                    while i < n {
                        fn.value(&base.value[i], i)
                        i += workers
                    }
                }
            }
        }
    }

    /// Evaluate `body(i)` for i in 0..<count on up to `jobs` threads and hand each result to
    /// `sink` as it completes (serially, in completion order). For streaming results to disk.
    /// The first error stops new jobs from starting and is rethrown.
    public static func forEach<T: Sendable>(
        _ count: Int, jobs: Int = Parallel.cores,
        _ body: @Sendable (Int) throws -> T,
        sink: (Int, T) throws -> Void
    ) throws {
        guard count > 0 else { return }
        let workers = max(1, min(jobs, count))
        if workers == 1 {
            for i in 0..<count { try sink(i, try body(i)) }
            return
        }
        let state = SharedState()
        let sinkLock = NSLock()
        withoutActuallyEscaping(sink) { sink in
            let sinkBox = UncheckedBox(sink)
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while let i = state.nextIndex(limit: count) {
                    do {
                        let v = try body(i)
                        sinkLock.lock()
                        defer { sinkLock.unlock() }
                        if state.failed { return }
                        try sinkBox.value(i, v)
                    } catch {
                        state.fail(error)
                        return
                    }
                }
            }
        }
        if let e = state.error { throw e }
    }
}

private final class SharedState: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private(set) var error: Error?
    var failed: Bool { lock.lock(); defer { lock.unlock() }; return error != nil }
    func nextIndex(limit: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard error == nil, next < limit else { return nil }
        next += 1
        return next - 1
    }
    func fail(_ e: Error) { lock.lock(); if error == nil { error = e }; lock.unlock() }
}

private final class ResultBox<T>: @unchecked Sendable {
    private var slots: [T?]
    private(set) var done = 0
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: T) { slots[i] = v; done += 1 }
    func values() -> [T] { slots.map { $0! } }
}

private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ v: T) { value = v }
}
