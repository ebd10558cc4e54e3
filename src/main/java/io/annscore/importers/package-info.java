/**
 * Model resolution: what a model path holds and how it becomes a network. {@link
 * io.annscore.importers.ModelLoader} reads a path on any Hadoop file system, tells its kind by
 * content (our JSON file, ONNX, an MLlib folder) and imports ONNX ({@link
 * io.annscore.importers.OnnxImporter}) and MLlib ({@link io.annscore.importers.MllibImporter})
 * models into our format. Runs on the driver or in a plain JVM (the {@code inspect} and {@code import}
 * commands); it may use Hadoop's {@code FileSystem} but no Spark class.
 */
package io.annscore.importers;
