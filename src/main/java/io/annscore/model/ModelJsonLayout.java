package io.annscore.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.PrettyPrinter;
import java.io.IOException;

/**
 * The layout of a written model file: one object member per line, arrays of numbers or strings on
 * one line, and arrays of arrays or objects (a weight matrix, the layers) one element per line, so
 * that each neuron's weights read as one row. Keeps state: one instance per file written.
 */
final class ModelJsonLayout implements PrettyPrinter {
    private static final String INDENT = "  ";

    private int depth;
    /** Whether the value just written was an object or array: arrays hold one kind of value, so this tells how to separate the next one. */
    private boolean lastValueWasContainer;

    @Override
    public void writeRootValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw('\n');
    }

    @Override
    public void writeStartObject(JsonGenerator g) throws IOException {
        startContainer(g, '{');
    }

    @Override
    public void beforeObjectEntries(JsonGenerator g) throws IOException {
        newLine(g);
    }

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw(": ");
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
        g.writeRaw(',');
        newLine(g);
    }

    @Override
    public void writeEndObject(JsonGenerator g, int entries) throws IOException {
        depth--;
        if (entries > 0) {
            newLine(g);
        }
        g.writeRaw('}');
        lastValueWasContainer = true;
    }

    @Override
    public void writeStartArray(JsonGenerator g) throws IOException {
        startContainer(g, '[');
    }

    @Override
    public void beforeArrayValues(JsonGenerator g) {
        // The kind of the first element is not known yet; startContainer breaks the line for a container.
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw(',');
        if (lastValueWasContainer) {
            newLine(g);
        } else {
            g.writeRaw(' ');
        }
    }

    @Override
    public void writeEndArray(JsonGenerator g, int values) throws IOException {
        depth--;
        if (values > 0 && lastValueWasContainer) {
            newLine(g);
        }
        g.writeRaw(']');
        lastValueWasContainer = true;
    }

    private void startContainer(JsonGenerator g, char open) throws IOException {
        // The generator has already opened this container's context; its parent says where it sits.
        JsonStreamContext parent = g.getOutputContext().getParent();
        if (parent != null && parent.inArray() && parent.getCurrentIndex() == 0) {
            newLine(g); // first element of an array of containers (the separator breaks the line for the others)
        }
        g.writeRaw(open);
        depth++;
        lastValueWasContainer = false;
    }

    private void newLine(JsonGenerator g) throws IOException {
        g.writeRaw('\n');
        for (int i = 0; i < depth; i++) {
            g.writeRaw(INDENT);
        }
    }
}
