package dev.countersign.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of {@code /actuator/prometheus} in Prometheus's text format, read as a scraper reads it. */
public record Scrape(List<Sample> samples) {

    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\S+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    public static Scrape of(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = LINE.matcher(line.strip());
            if (!sample.matches()) {
                throw new AssertionError("not a sample line of the Prometheus text format: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3))));
        }
        return new Scrape(List.copyOf(samples));
    }

    /** The samples of this name whose labels include every one given (a name and value, alternating). */
    public List<Sample> series(String name, String... labels) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i + 1 < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        return samples.stream().filter(sample -> sample.name().equals(name))
                .filter(sample -> wanted.entrySet().stream().allMatch(label -> label.getValue().equals(sample.labels().get(label.getKey()))))
                .toList();
    }

    /** The sum over {@link #series}: 0 when none (a counter nobody has moved yet is not listed). */
    public double sum(String name, String... labels) {
        return series(name, labels).stream().mapToDouble(Sample::value).sum();
    }

    /** Every metric name listed, for asserting what is (and is not) exported. */
    public java.util.Set<String> names() {
        return samples.stream().map(Sample::name).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }
}
