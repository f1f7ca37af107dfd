package org.rsafe.bundle;

import org.rsafe.util.UserException;

/** Thrown when a bundle is not exported because validation failed; carries the reasons. */
public final class BundleRefusedException extends UserException {
    private static final long serialVersionUID = 1L;
    private final transient BundleValidation validation;

    public BundleRefusedException(BundleValidation validation) {
        super("bundle not exported: " + String.join("; ", validation.reasons()));
        this.validation = validation;
    }

    public BundleValidation validation() {
        return validation;
    }
}
