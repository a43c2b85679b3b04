package bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One published figure: its runs, their min / median / max, the method that produced them and the target. */
final class Figure {
    final String id;
    final String label;
    final String unit;
    final String method;
    final String targetText;
    final Double target;
    final boolean higherIsBetter;
    final List<Double> runs = new ArrayList<>();
    /** The peer's runs of the same figure, measured in the same benchmark run; empty for Panel One-only figures. */
    final List<Double> peerRuns = new ArrayList<>();
    /** The target on us / peer (medians), if any. */
    String ratioTargetText = "";
    Double ratioTarget;
    boolean ratioHigherIsBetter;
    final Map<String, Object> detail = new LinkedHashMap<>();
    /** A run that could not finish (see detail): the target is then not met, whatever the other runs say. */
    boolean failed;

    Figure(String id, String label, String unit, String method, String targetText, Double target,
            boolean higherIsBetter) {
        this.id = id;
        this.label = label;
        this.unit = unit;
        this.method = method;
        this.targetText = targetText;
        this.target = target;
        this.higherIsBetter = higherIsBetter;
    }

    /** A figure without a target: reported for context. */
    static Figure info(String id, String label, String unit, String method) {
        return new Figure(id, label, unit, method, "", null, false);
    }

    Figure add(double value) {
        runs.add(value);
        return this;
    }

    Figure addPeer(double value) {
        peerRuns.add(value);
        return this;
    }

    /** A target on the ratio us / peer, e.g. {@code ratio("<= 0.33x", 0.33, false)}. */
    Figure ratio(String text, double target, boolean higherIsBetter) {
        this.ratioTargetText = text;
        this.ratioTarget = target;
        this.ratioHigherIsBetter = higherIsBetter;
        return this;
    }

    boolean compared() {
        return !peerRuns.isEmpty() || ratioTarget != null;
    }

    double peerMedian() {
        return percentile(peerRuns, 50);
    }

    /** median(us) / median(peer); NaN without peer runs. */
    double ratioValue() {
        return peerRuns.isEmpty() || runs.isEmpty() ? Double.NaN : median() / peerMedian();
    }

    /** The targets in words: absolute and ratio. */
    String targets() {
        if (targetText.isEmpty()) {
            return ratioTargetText;
        }
        return ratioTargetText.isEmpty() ? targetText : targetText + " and " + ratioTargetText;
    }

    double min() {
        return runs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    double max() {
        return runs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    double median() {
        return percentile(runs, 50);
    }

    /** Judged on the median run; null when there is no target. */
    Boolean met() {
        if (failed) {
            return target == null ? null : false;
        }
        if (target == null && ratioTarget == null || runs.isEmpty()) {
            return null;
        }
        boolean met = target == null || (higherIsBetter ? median() >= target : median() <= target);
        if (ratioTarget != null) {
            double ratio = ratioValue();
            met &= !Double.isNaN(ratio) && (ratioHigherIsBetter ? ratio >= ratioTarget : ratio <= ratioTarget);
        }
        return met;
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("label", label);
        json.put("unit", unit);
        json.put("runs", runs.stream().map(Figure::round).toList());
        json.put("min", runs.isEmpty() ? null : round(min()));
        json.put("median", runs.isEmpty() ? null : round(median()));
        json.put("max", runs.isEmpty() ? null : round(max()));
        if (!peerRuns.isEmpty()) {
            json.put("peer_runs", peerRuns.stream().map(Figure::round).toList());
            json.put("peer_median", round(peerMedian()));
            json.put("ratio", round(ratioValue()));
        }
        json.put("failed", failed);
        json.put("target", targets().isEmpty() ? null : targets());
        json.put("met", met());
        json.put("method", method);
        if (!detail.isEmpty()) {
            json.put("detail", detail);
        }
        return json;
    }

    /** Nearest-rank percentile. */
    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    static double round(double value) {
        if (Double.isNaN(value)) {
            return value;
        }
        double scale = Math.abs(value) >= 100 ? 10 : Math.abs(value) >= 1 ? 100 : 1000;
        return Math.round(value * scale) / scale;
    }
}
