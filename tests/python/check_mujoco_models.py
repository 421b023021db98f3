#!/usr/bin/env python3
"""Checks that neurevo's MJCF models describe Gymnasium's MuJoCo v5 models.

Compiles each of assets/mujoco/*.xml and the Gymnasium 1.4.0 asset it
describes with the installed mujoco and compares every physical quantity of
the compiled models (sizes, qpos0, bodies, inertias, joints, dofs, geoms and
their contact parameters, actuators, sites, and the physics options). Visual
elements (lights, cameras, textures, materials, colours) are not compared.
Exits 1 listing the differences, if any.

Usage: check_mujoco_models.py ASSETS_DIR
"""

import os
import sys

import gymnasium
import mujoco
import numpy as np

PAIRS = [
    ("inverted_pendulum.xml", "inverted_pendulum.xml"),
    ("inverted_double_pendulum.xml", "inverted_double_pendulum.xml"),
    ("swimmer.xml", "swimmer.xml"),
    ("hopper.xml", "hopper.xml"),
    ("half_cheetah.xml", "half_cheetah.xml"),
    ("walker2d.xml", "walker2d_v5.xml"),
    ("ant.xml", "ant.xml"),
]
FIELDS = [
    "nq", "nv", "nu", "na", "nbody", "ngeom", "njnt", "nsite", "qpos0",
    "body_parentid", "body_pos", "body_quat", "body_ipos", "body_iquat",
    "body_mass", "body_inertia",
    "jnt_type", "jnt_bodyid", "jnt_qposadr", "jnt_pos", "jnt_axis",
    "jnt_stiffness", "jnt_range", "jnt_limited", "jnt_margin", "jnt_solref",
    "jnt_solimp", "qpos_spring",
    "dof_armature", "dof_damping", "dof_frictionloss", "dof_solref", "dof_solimp",
    "geom_type", "geom_bodyid", "geom_size", "geom_pos", "geom_quat",
    "geom_friction", "geom_solref", "geom_solimp", "geom_margin", "geom_gap",
    "geom_contype", "geom_conaffinity", "geom_condim", "geom_priority",
    "geom_solmix",
    "actuator_trntype", "actuator_trnid", "actuator_gear", "actuator_ctrlrange",
    "actuator_ctrllimited", "actuator_forcerange", "actuator_forcelimited",
    "actuator_gainprm", "actuator_biasprm", "actuator_dyntype",
    "actuator_gaintype", "actuator_biastype",
    "site_pos", "site_bodyid",
]
OPTIONS = [
    "timestep", "gravity", "density", "viscosity", "wind", "magnetic",
    "integrator", "cone", "jacobian", "solver", "iterations", "tolerance",
    "noslip_iterations", "impratio", "o_margin", "disableflags", "enableflags",
]


def main():
    ours_dir = sys.argv[1]
    ref_dir = os.path.join(os.path.dirname(gymnasium.__file__), "envs", "mujoco", "assets")
    differences = 0
    for ours, ref in PAIRS:
        a = mujoco.MjModel.from_xml_path(os.path.join(ours_dir, ours))
        b = mujoco.MjModel.from_xml_path(os.path.join(ref_dir, ref))
        for name in FIELDS:
            x, y = np.asarray(getattr(a, name)), np.asarray(getattr(b, name))
            if x.shape != y.shape or not np.array_equal(x, y):
                differences += 1
                print("%s: %s differs: ours %s, Gymnasium's %s" % (ours, name, x.ravel()[:8], y.ravel()[:8]))
        for name in OPTIONS:
            x, y = np.asarray(getattr(a.opt, name)), np.asarray(getattr(b.opt, name))
            if not np.array_equal(x, y):
                differences += 1
                print("%s: opt.%s differs: ours %s, Gymnasium's %s" % (ours, name, x, y))
    print("%d models compared with mujoco %s: %d differences" % (len(PAIRS), mujoco.__version__, differences))
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
