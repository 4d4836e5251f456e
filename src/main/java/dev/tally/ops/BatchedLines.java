package dev.tally.ops;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * An output stream that collects whole lines and writes them in one system call per {@link #flush()}
 * (the process flushes it every 100 ms and at shutdown). The access log writes a line per request
 * from the event loop; standard output flushes on every line, a write(2) per request that costs as
 * much as the request's own HTTP work. Only complete lines are written, so a line never interleaves
 * with the application log's, which shares the file descriptor. A line that grows past
 * {@value #PENDING_MAX} bytes of backlog is written at once rather than held.
 */
public final class BatchedLines extends OutputStream {
    private static final int PENDING_MAX = 64 * 1024;

    private final OutputStream target;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(PENDING_MAX);

    public BatchedLines(OutputStream target) {
        this.target = target;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        pending.write(b);
        drainIfFull();
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        pending.write(bytes, offset, length);
        drainIfFull();
    }

    /** Writes the complete lines collected so far; a line still being written waits for its end. */
    @Override
    public synchronized void flush() throws IOException {
        byte[] bytes = pending.toByteArray();
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        if (end == 0) {
            return;
        }
        // A failed write drops the batch (PrintStream records the error) rather than grow without end.
        try {
            target.write(bytes, 0, end);
            target.flush();
        } finally {
            pending.reset();
            pending.write(bytes, end, bytes.length - end);
        }
    }

    private void drainIfFull() throws IOException {
        if (pending.size() >= PENDING_MAX) {
            flush();
        }
    }
}
