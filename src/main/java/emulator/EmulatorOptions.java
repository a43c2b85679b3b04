package emulator;

/**
 * Command-line options of the stand-alone emulator: {@code --port}, {@code --latency-ms}, {@code --render-width},
 * {@code --storage-url} (the storage emulator registered {@code gs://} objects are read from), {@code --panel-bytes}
 * (the size every panel PNG is padded to, as a real 2K panel's; 0 = as drawn), {@code --gzip true|false} (answers
 * gzipped when the client accepts it).
 */
record EmulatorOptions(int port, long latencyMs, int renderWidth, String storageUrl, int panelBytes, boolean gzip) {

    static EmulatorOptions parse(String[] args) {
        int port = 0;
        long latencyMs = 0;
        int renderWidth = GeminiEmulator.DEFAULT_RENDER_WIDTH;
        String storageUrl = null;
        int panelBytes = 0;
        boolean gzip = false;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            String value = valueOf(args, i, name);
            switch (name) {
                case "--port" -> port = Integer.parseInt(value);
                case "--latency-ms" -> latencyMs = Long.parseLong(value);
                case "--render-width" -> renderWidth = Integer.parseInt(value);
                case "--storage-url" -> storageUrl = value;
                case "--panel-bytes" -> panelBytes = Integer.parseInt(value);
                case "--gzip" -> gzip = Boolean.parseBoolean(value);
                default -> throw new IllegalArgumentException("Unknown option " + name
                        + "; use --port N, --latency-ms N, --render-width N, --storage-url URL, --panel-bytes N, --gzip true|false");
            }
            i++;
        }
        return new EmulatorOptions(port, latencyMs, renderWidth, storageUrl, panelBytes, gzip);
    }

    private static String valueOf(String[] args, int index, String name) {
        if (index + 1 >= args.length) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args[index + 1];
    }
}
