"""The build, one module per stage: sources → claims → provenance → conflicts → graph →
validation → release."""
