/**
 * Classes that break the architecture rules on purpose, so that {@code ArchitectureTest} can show each rule
 * failing; they mirror the product's package names under {@code org.rsafe.archprobe} and are never used.
 */
package org.rsafe.archprobe;
