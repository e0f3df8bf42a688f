package io.runnel.bench.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a process's CPU time and resident memory from Linux's {@code /proc}. The CPU time is user plus
 * system time of all the process's threads ({@code utime + stime} of {@code /proc/<pid>/stat}), which
 * counts only work done for that process however busy the machine is: the fair figure on a shared
 * machine. Stateless apart from the clock tick, read once.
 */
final class ProcFs {

    private static final int UTIME_AFTER_COMM = 11; // field 14 of stat; fields after "(comm)" start at field 3
    private static final int STIME_AFTER_COMM = 12;

    private final double ticksPerSecond;

    private ProcFs(double ticksPerSecond) {
        this.ticksPerSecond = ticksPerSecond;
    }

    /** Reads the clock tick ({@code getconf CLK_TCK}); 100, the Linux default, if that fails. */
    static ProcFs open() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            getconf.waitFor();
            return new ProcFs(Double.parseDouble(out));
        } catch (IOException | NumberFormatException e) {
            return new ProcFs(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProcFs(100);
        }
    }

    /**
     * CPU seconds a process has used so far.
     *
     * @param user in user mode (the JVM: Java code, GC, JIT)
     * @param system in the kernel on the process's behalf (syscalls: socket and file I/O, page faults)
     */
    record CpuTime(double user, double system) {
        double total() {
            return user + system;
        }

        CpuTime minus(CpuTime earlier) {
            return new CpuTime(user - earlier.user, system - earlier.system);
        }
    }

    /** The CPU time the process has used so far. */
    CpuTime cpuTime(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        // the command name may contain spaces and parentheses: the fields follow its last ')'
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
        return new CpuTime(Long.parseLong(fields[UTIME_AFTER_COMM]) / ticksPerSecond,
                Long.parseLong(fields[STIME_AFTER_COMM]) / ticksPerSecond);
    }

    /** The resident set size ({@code VmRSS}) in bytes; 0 if the process has gone. */
    static long rssBytes(long pid) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.US_ASCII);
            for (String line : lines) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            return 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
