package app;
public class PanelOneApplication { public static void main(String[] a) {} }
