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
        if (target == null || runs.isEmpty()) {
            return null;
        }
        return higherIsBetter ? median() >= target : median() <= target;
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
        json.put("failed", failed);
        json.put("target", targetText.isEmpty() ? null : targetText);
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
