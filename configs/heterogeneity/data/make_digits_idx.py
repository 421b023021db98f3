#!/usr/bin/env python3
"""Writes scikit-learn's 8x8 handwritten digits in MNIST's IDX layout, so that
the ImageClassification task reads them like MNIST (no data set can be
downloaded on the machines neurevo is built on; scikit-learn ships this one).

The data: load_digits() -- 1797 images of 8 x 8 pixels with values 0..16, the
test set of the UCI "Optical Recognition of Handwritten Digits" data set
(Alpaydin & Kaynak 1998; CC BY 4.0). Pixels are scaled to 0..255 as
round(v * 255 / 16) (IDX images are unsigned bytes, MNIST's range). The first
1437 images (80 %) are the training split, the last 360 the test split, in
load_digits' order (no shuffling: the split is fixed and reproducible).

  pip install scikit-learn==1.9.1 && python3 make_digits_idx.py digits

writes digits/{train,t10k}-{images-idx3,labels-idx1}-ubyte.
"""
import os
import struct
import sys

import numpy as np
from sklearn.datasets import load_digits

TRAIN = 1437


def write_idx(path, array):
    array = np.ascontiguousarray(array, dtype=np.uint8)
    with open(path, "wb") as f:
        f.write(struct.pack(">BBBB", 0, 0, 0x08, array.ndim))
        for d in array.shape:
            f.write(struct.pack(">I", d))
        f.write(array.tobytes())


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "digits"
    os.makedirs(out, exist_ok=True)
    digits = load_digits()
    images = np.rint(digits.images * 255.0 / 16.0).astype(np.uint8)  # (1797, 8, 8)
    labels = digits.target.astype(np.uint8)
    write_idx(os.path.join(out, "train-images-idx3-ubyte"), images[:TRAIN])
    write_idx(os.path.join(out, "train-labels-idx1-ubyte"), labels[:TRAIN])
    write_idx(os.path.join(out, "t10k-images-idx3-ubyte"), images[TRAIN:])
    write_idx(os.path.join(out, "t10k-labels-idx1-ubyte"), labels[TRAIN:])
    print(f"{out}: {TRAIN} training and {len(labels) - TRAIN} test images of 8 x 8")


if __name__ == "__main__":
    main()
