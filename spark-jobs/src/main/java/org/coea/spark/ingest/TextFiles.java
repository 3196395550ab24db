package org.coea.spark.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Input files of a stage: existence checks that fail at once naming the path, and text lines with
 * their 1-based line numbers, decoded with an explicit charset (MovieLens is ISO-8859-1).
 */
final class TextFiles {
    private TextFiles() {}

    /** One line of a text file. */
    record NumberedLine(String file, long line, String text) implements java.io.Serializable {}

    /**
     * The data files at a path: the file itself, or the visible files of a directory.
     *
     * @throws IllegalArgumentException naming the path when it is missing, or has no non-empty file
     */
    static List<String> requireFiles(SparkSession spark, String path, String what) {
        Path p = new Path(path);
        try {
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(p)) {
                throw new IllegalArgumentException(what + " not found: " + path);
            }
            List<String> files = new ArrayList<>();
            FileStatus[] statuses =
                    fs.getFileStatus(p).isDirectory()
                            ? fs.listStatus(
                                    p,
                                    f ->
                                            !f.getName().startsWith(".")
                                                    && !f.getName().startsWith("_"))
                            : new FileStatus[] {fs.getFileStatus(p)};
            Arrays.sort(statuses);
            for (FileStatus s : statuses) {
                if (s.isFile() && s.getLen() > 0) {
                    files.add(s.getPath().toString());
                }
            }
            if (files.isEmpty()) {
                throw new IllegalArgumentException(what + " is empty: " + path);
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + what + " " + path, e);
        }
    }

    /** Whether a file exists (for format detection). */
    static boolean exists(SparkSession spark, String path) {
        Path p = new Path(path);
        try {
            return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + path, e);
        }
    }

    /**
     * The first line of a file (a CSV header), decompressed if needed, decoded with the charset.
     */
    static String firstLine(SparkSession spark, String file, Charset charset) {
        Path p = new Path(file);
        org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
        CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(p);
        try (InputStream raw = p.getFileSystem(conf).open(p);
                InputStream in = codec == null ? raw : codec.createInputStream(raw)) {
            java.io.BufferedReader r =
                    new java.io.BufferedReader(new java.io.InputStreamReader(in, charset));
            String line = r.readLine();
            return line == null ? "" : stripCr(line);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The lines of the files with 1-based line numbers, in file order. */
    static JavaRDD<NumberedLine> lines(SparkSession spark, List<String> files, Charset charset) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String charsetName = charset.name();
        JavaRDD<NumberedLine> all = null;
        for (String file : files) {
            JavaRDD<NumberedLine> lines =
                    jsc.hadoopFile(file, TextInputFormat.class, LongWritable.class, Text.class)
                            .map(t -> decode(t._2(), charsetName))
                            .zipWithIndex()
                            .map(
                                    (Tuple2<String, Long> t) ->
                                            new NumberedLine(file, t._2() + 1, t._1()));
            all = all == null ? lines : all.union(lines);
        }
        return all;
    }

    private static String decode(Text text, String charset) {
        // Text is reused by the reader: copy its bytes now.
        return stripCr(new String(text.getBytes(), 0, text.getLength(), Charset.forName(charset)));
    }

    private static String stripCr(String s) {
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
