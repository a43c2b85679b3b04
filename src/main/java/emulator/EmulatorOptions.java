package emulator;

/**
 * Command-line options of the stand-alone emulator: {@code --port}, {@code --latency-ms}, {@code --render-width},
 * {@code --storage-url} (the storage emulator registered {@code gs://} objects are read from).
 */
record EmulatorOptions(int port, long latencyMs, int renderWidth, String storageUrl) {

    static EmulatorOptions parse(String[] args) {
        int port = 0;
        long latencyMs = 0;
        int renderWidth = GeminiEmulator.DEFAULT_RENDER_WIDTH;
        String storageUrl = null;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            String value = valueOf(args, i, name);
            switch (name) {
                case "--port" -> port = Integer.parseInt(value);
                case "--latency-ms" -> latencyMs = Long.parseLong(value);
                case "--render-width" -> renderWidth = Integer.parseInt(value);
                case "--storage-url" -> storageUrl = value;
                default -> throw new IllegalArgumentException("Unknown option " + name
                        + "; use --port N, --latency-ms N, --render-width N, --storage-url URL");
            }
            i++;
        }
        return new EmulatorOptions(port, latencyMs, renderWidth, storageUrl);
    }

    private static String valueOf(String[] args, int index, String name) {
        if (index + 1 >= args.length) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args[index + 1];
    }
}
