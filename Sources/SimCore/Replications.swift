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

// MARK: - In job order

/// Runs independent jobs on several threads and hands their results to a serial sink in
/// index order, as soon as a result and every one before it are done.
///
/// Like `Parallel.forEach`, but the sink sees results in order 0, 1, 2, …, so a table
/// streamed from it has the same bytes whatever the number of threads, and what a killed
/// run leaves on disk is always a prefix of the jobs. At most `window` results wait for
/// an earlier one to finish (a worker does not start job i until job i − window has been
/// handed to the sink), so memory is bounded by the window, not by the number of jobs.
extension Parallel {
    /// Evaluate `body(i)` for i in 0..<count on up to `jobs` threads; call `sink(i, result)`
    /// serially in index order. `window` defaults to 4 × jobs. The first error (from `body`
    /// or `sink`) stops new jobs from starting, nothing more reaches the sink, and the error
    /// is rethrown.
    public static func forEachInOrder<T: Sendable>(
        _ count: Int, jobs: Int = Parallel.cores, window: Int? = nil,
        _ body: @Sendable (Int) throws -> T,
        sink: (Int, T) throws -> Void
    ) throws {
        guard count > 0 else { return }
        let workers = max(1, min(jobs, count))
        if workers == 1 {
            for i in 0..<count { try sink(i, try body(i)) }
            return
        }
        let state = OrderedState<T>(count: count, window: max(window ?? 4 * workers, workers))
        withoutActuallyEscaping(sink) { sink in
            let sinkBox = UncheckedBox(sink)
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while let i = state.take() {
                    do {
                        let value = try body(i)
                        state.complete(i, value, sink: sinkBox.value)
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

private final class OrderedState<T>: @unchecked Sendable {
    private let condition = NSCondition()
    private let count: Int
    private let window: Int
    private var next = 0
    /// Results handed to the sink so far (all of 0..<written).
    private var written = 0
    private var buffer = [Int: T]()
    private var draining = false
    private var failure: Error?

    init(count: Int, window: Int) {
        self.count = count
        self.window = window
    }

    var error: Error? { condition.lock(); defer { condition.unlock() }; return failure }

    /// The next job to run, once it is within the window; nil when none are left or after an error.
    func take() -> Int? {
        condition.lock(); defer { condition.unlock() }
        while failure == nil, next < count, next >= written + window { condition.wait() }
        guard failure == nil, next < count else { return nil }
        next += 1
        return next - 1
    }

    /// Store result `i`, then, unless another thread is already doing it, hand every result
    /// that is next in order to the sink (outside the lock, so workers keep running).
    func complete(_ i: Int, _ value: T, sink: (Int, T) throws -> Void) {
        condition.lock()
        buffer[i] = value
        guard !draining, failure == nil else { condition.unlock(); return }
        draining = true
        while failure == nil, let v = buffer.removeValue(forKey: written) {
            let index = written
            condition.unlock()
            do {
                try sink(index, v)
            } catch {
                condition.lock()
                if failure == nil { failure = error }
                draining = false
                condition.broadcast()
                condition.unlock()
                return
            }
            condition.lock()
            written += 1
            condition.broadcast()
        }
        draining = false
        condition.unlock()
    }

    func fail(_ e: Error) {
        condition.lock()
        if failure == nil { failure = e }
        condition.broadcast()
        condition.unlock()
    }
}

