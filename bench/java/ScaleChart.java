import static asynclab.Lab.chart;

import asynclab.Chart;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Draws bench/scale.svg with the helper jar's chart, the one the lessons draw with, so the bench
 * and the lessons share one palette and one look. Reads the chart from stdin: a title line, then
 * one line per series, {@code name<TAB>x y x y ...}; prints the SVG.
 * {@code java -cp build/bench:lib/asynclab.jar ScaleChart < series.txt} (bench/report.py).
 */
public final class ScaleChart {
    public static void main(String[] args) throws Exception {
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Chart c = chart(in.readLine()).x("n, tasks").y("seconds").logX();
        for (String line; (line = in.readLine()) != null && !line.isBlank(); ) {
            String[] parts = line.split("\t", 2);
            String[] numbers = parts[1].trim().split("\\s+");
            double[] xs = new double[numbers.length / 2];
            double[] ys = new double[numbers.length / 2];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = Double.parseDouble(numbers[2 * i]);
                ys[i] = Double.parseDouble(numbers[2 * i + 1]);
            }
            c = c.series(parts[0], xs, ys);
        }
        System.out.println(c.svg());
    }
}
